package dev.chatgptsso.provisioner.instance;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.jpa.HibernateHints;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class InstanceRepository implements PanacheRepositoryBase<AuthentikInstance, UUID> {

    public List<AuthentikInstance> ofTenant(String tenantId) {
        return list("tenantId", Sort.by("createdAt").and("id"), tenantId);
    }

    /**
     * The tenant's instance by id: a primary-key load, read-only (every change to an instance is an update
     * statement of its own), checked against the tenant afterwards; another tenant's id is simply not found.
     */
    public Optional<AuthentikInstance> ofTenant(String tenantId, UUID id) {
        return Optional.ofNullable(getSession().find(AuthentikInstance.class, id, Map.of(HibernateHints.HINT_READ_ONLY, true)))
                .filter(instance -> tenantId.equals(instance.tenantId));
    }

    public boolean nameTaken(String tenantId, String name) {
        return count("tenantId = ?1 and name = ?2", tenantId, name) > 0;
    }
}
