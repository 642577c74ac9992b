package dev.chatgptsso.provisioner.instance;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@ApplicationScoped
public class InstanceRepository implements PanacheRepositoryBase<AuthentikInstance, UUID> {

    public List<AuthentikInstance> ofTenant(String tenantId) {
        return list("tenantId", Sort.by("createdAt").and("id"), tenantId);
    }

    public Optional<AuthentikInstance> ofTenant(String tenantId, UUID id) {
        return find("tenantId = ?1 and id = ?2", tenantId, id).firstResultOptional();
    }

    public boolean nameTaken(String tenantId, String name) {
        return count("tenantId = ?1 and name = ?2", tenantId, name) > 0;
    }
}
