package dev.chatgptsso.provisioner.tenant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** An organisation whose authentik instances this service provisions. */
@Entity
@Table(name = "tenant")
public class Tenant {
    @Id
    public String id;

    @Column(name = "display_name", nullable = false)
    public String displayName;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;
}
