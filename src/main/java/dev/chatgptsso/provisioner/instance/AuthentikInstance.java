package dev.chatgptsso.provisioner.instance;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import java.util.UUID;

/** A tenant's authentik instance: where it is, how to authenticate (encrypted), which version it runs. */
@Entity
@Table(name = "authentik_instance")
public class AuthentikInstance {
    @Id
    public UUID id;

    @Column(name = "tenant_id", nullable = false)
    public String tenantId;

    @Column(nullable = false)
    public String name;

    @Column(name = "base_url", nullable = false)
    public String baseUrl;

    @Column(name = "api_token_ciphertext", nullable = false)
    public String apiTokenCiphertext;

    @Column(name = "verify_tls", nullable = false)
    public boolean verifyTls;

    @Column(nullable = false)
    public String version;

    @Column(nullable = false)
    public String status;

    /** Optional PEM bundle of the CAs the instance's TLS certificate must chain to (instead of the JVM's). */
    @Column(name = "ca_bundle_pem")
    public String caBundlePem;

    /** Property mappings this service created on the instance and owns, by purpose (e.g. {@code oidc-profile}) → pk. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "owned_mappings", nullable = false)
    public Map<String, String> ownedMappings = new HashMap<>();

    @Column(name = "checked_at", nullable = false)
    public OffsetDateTime checkedAt;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Override
    public String toString() {
        return "AuthentikInstance[" + id + ", " + baseUrl + "]";
    }
}
