package dev.chatgptsso.provisioner.tenant;

import dev.chatgptsso.provisioner.Database;
import dev.chatgptsso.provisioner.web.ProblemException;
import dev.chatgptsso.provisioner.web.ProblemType;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.cache.CaffeineCache;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

@ApplicationScoped
public class TenantService {
    /** Tenants seen to exist: no API deletes or changes a tenant, so a tenant once found stays found (for a while: README). */
    public static final String CACHE = "tenants";

    private final TenantRepository tenants;
    private final CaffeineCache known;

    TenantService(TenantRepository tenants, @CacheName(CACHE) Cache known) {
        this.tenants = tenants;
        this.known = known.as(CaffeineCache.class);
    }

    /**
     * One INSERT: the primary key refuses an id that exists, also when two creates of it race. A tenant committed
     * here is remembered at once, so the registration that usually follows does not read it back.
     */
    public Tenant create(TenantApi.CreateTenant request) {
        Tenant tenant = new Tenant();
        tenant.id = request.id();
        tenant.displayName = request.displayName().strip();
        tenant.createdAt = Database.now();
        try {
            tenants.insert(tenant);
        } catch (Database.UniqueViolation e) {
            throw new ProblemException(ProblemType.TENANT_EXISTS, "tenant '" + request.id() + "' already exists");
        }
        known.put(tenant.id, CompletableFuture.completedFuture(tenant));
        return tenant;
    }

    public List<Tenant> list(Optional<String> onlyTenant) {
        return onlyTenant.map(id -> tenants.find(id).stream().toList()).orElseGet(tenants::all);
    }

    /**
     * The tenant, or 404 problem. Every operation starts with it: a tenant found once is remembered (only found ones,
     * so one created meanwhile by another replica is found at its first use), otherwise it is one primary-key SELECT.
     */
    public Tenant require(String id) {
        CompletableFuture<Object> remembered = known.getIfPresent(id);
        if (remembered != null) {
            return (Tenant) remembered.join();
        }
        Optional<Tenant> tenant = tenants.find(id);
        tenant.ifPresent(found -> known.put(id, CompletableFuture.completedFuture(found)));
        return tenant.orElseThrow(() -> ProblemException.notFound("tenant '" + id + "'"));
    }
}
