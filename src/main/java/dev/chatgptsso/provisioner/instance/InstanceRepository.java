package dev.chatgptsso.provisioner.instance;

import dev.chatgptsso.provisioner.Autocommit;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class InstanceRepository implements PanacheRepositoryBase<AuthentikInstance, UUID> {
    @Inject
    Autocommit autocommit;

    public List<AuthentikInstance> ofTenant(String tenantId) {
        return list("tenantId", Sort.by("createdAt").and("id"), tenantId);
    }

    /**
     * The tenant's instance by id: a primary-key load, read-only (every change to an instance is an update
     * statement of its own; outside a transaction a stateless read), checked against the tenant afterwards; another tenant's id is simply not found.
     */
    public Optional<AuthentikInstance> ofTenant(String tenantId, UUID id) {
        return autocommit.find(AuthentikInstance.class, id).filter(instance -> tenantId.equals(instance.tenantId));
    }

    /** Inserts a new instance, committed on its own. */
    public void add(AuthentikInstance instance) {
        autocommit.insertOnItsOwn(instance);
    }

    /**
     * Whether the tenant has an instance of this name: one row lookup in a stateless session (Panache's
     * {@code count} translated a new count query on every call).
     */
    public boolean nameTaken(String tenantId, String name) {
        return autocommit.session(session -> !session
                .createSelectionQuery("select 1 from AuthentikInstance where tenantId = ?1 and name = ?2", Integer.class)
                .setParameter(1, tenantId).setParameter(2, name).setMaxResults(1).getResultList().isEmpty());
    }
}
