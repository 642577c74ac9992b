package dev.chatgptsso.provisioner.tenant;

import dev.chatgptsso.provisioner.Autocommit;
import dev.chatgptsso.provisioner.web.ProblemException;
import dev.chatgptsso.provisioner.web.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.hibernate.exception.ConstraintViolationException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class TenantService {
    private final TenantRepository tenants;
    private final Autocommit autocommit;

    TenantService(TenantRepository tenants, Autocommit autocommit) {
        this.tenants = tenants;
        this.autocommit = autocommit;
    }

    /** One INSERT: the primary key refuses an id that exists, also when two creates of it race. */
    public Tenant create(TenantApi.CreateTenant request) {
        Tenant tenant = new Tenant();
        tenant.id = request.id();
        tenant.displayName = request.displayName().strip();
        tenant.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
        try {
            autocommit.insert(tenant);
        } catch (ConstraintViolationException e) {
            throw new ProblemException(ProblemType.TENANT_EXISTS, "tenant '" + request.id() + "' already exists");
        }
        return tenant;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Tenant> list(Optional<String> onlyTenant) {
        return onlyTenant.map(id -> tenants.findByIdOptional(id).stream().toList())
                .orElseGet(() -> tenants.listAll(io.quarkus.panache.common.Sort.by("id")));
    }

    /** The tenant, or 404 problem. Every operation starts with it, so outside a transaction it is a stateless read. */
    public Tenant require(String id) {
        Optional<Tenant> tenant = Autocommit.outsideTransaction() ? autocommit.get(Tenant.class, id) : tenants.findByIdOptional(id);
        return tenant.orElseThrow(() -> ProblemException.notFound("tenant '" + id + "'"));
    }
}
