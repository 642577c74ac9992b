package dev.chatgptsso.provisioner.tenant;

import dev.chatgptsso.provisioner.web.ProblemException;
import dev.chatgptsso.provisioner.web.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class TenantService {
    private final TenantRepository tenants;

    TenantService(TenantRepository tenants) {
        this.tenants = tenants;
    }

    @Transactional
    public Tenant create(TenantApi.CreateTenant request) {
        if (tenants.findByIdOptional(request.id()).isPresent()) {
            throw new ProblemException(ProblemType.TENANT_EXISTS, "tenant '" + request.id() + "' already exists");
        }
        Tenant tenant = new Tenant();
        tenant.id = request.id();
        tenant.displayName = request.displayName().strip();
        tenant.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
        try {
            tenants.persistAndFlush(tenant);
        } catch (jakarta.persistence.PersistenceException e) {
            // a concurrent create of the same id won the primary key
            throw new ProblemException(ProblemType.TENANT_EXISTS, "tenant '" + request.id() + "' already exists");
        }
        return tenant;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Tenant> list(Optional<String> onlyTenant) {
        return onlyTenant.map(id -> tenants.findByIdOptional(id).stream().toList())
                .orElseGet(() -> tenants.listAll(io.quarkus.panache.common.Sort.by("id")));
    }

    /** The tenant, or 404 problem. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Tenant require(String id) {
        return tenants.findByIdOptional(id).orElseThrow(() -> ProblemException.notFound("tenant '" + id + "'"));
    }
}
