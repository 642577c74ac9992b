package dev.chatgptsso.provisioner.instance;

import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** A tenant's authentik instance (a row of {@code authentik_instance}): where it is, how to authenticate (encrypted), which version it runs. */
public class AuthentikInstance {
    public UUID id;

    public String tenantId;

    public String name;

    public String baseUrl;

    public String apiTokenCiphertext;

    public boolean verifyTls;

    public String version;

    public String status;

    /** Optional PEM bundle of the CAs the instance's TLS certificate must chain to (instead of the JVM's). */
    public String caBundlePem;

    /** Property mappings this service created on the instance and owns, by purpose (e.g. {@code oidc-profile}) → pk. */
    public Map<String, String> ownedMappings = new HashMap<>();

    public OffsetDateTime checkedAt;

    public OffsetDateTime createdAt;

    @Override
    public String toString() {
        return "AuthentikInstance[" + id + ", " + baseUrl + "]";
    }
}
