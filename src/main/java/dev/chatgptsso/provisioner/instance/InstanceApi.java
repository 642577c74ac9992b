package dev.chatgptsso.provisioner.instance;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.util.UUID;

/** Request and response bodies of {@code /api/v1/tenants/{tenantId}/instances}. */
public final class InstanceApi {
    private InstanceApi() {}

    public record RegisterInstance(
            @NotNull @Pattern(regexp = "^[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}$", message = "must be 1-100 letters, digits, spaces, '.', '_' or '-'") String name,
            @NotBlank @Size(max = 2000) String baseUrl,
            @NotBlank @Size(max = 1000) @Pattern(regexp = "^\\S+$", message = "must not contain whitespace") String apiToken,
            Boolean verifyTls,
            @Size(max = 32000) @Pattern(regexp = "^[\\x09\\x0a\\x0d\\x20-\\x7e]*$", message = "must be PEM text") String caBundlePem) {

        @Override
        public String toString() {
            return "RegisterInstance[name=" + name + ", baseUrl=" + baseUrl + ", apiToken=***, verifyTls=" + verifyTls + "]";
        }
    }

    /**
     * How the instance answers now, as this service sees it; an unreachable instance is reported, not raised.
     * {@code reachable}: authentik answered; {@code tokenValid}: null when the answer (or its absence) did not judge the token.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record InstanceHealth(UUID instanceId, boolean reachable, Boolean tokenValid, String version, Boolean versionSupported,
            long latencyMs, String detail, OffsetDateTime checkedAt) {}

    /** Result of moving stored tokens to the newest encryption key. */
    public record ReEncryption(int instances, int reencrypted, String keyId) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record InstanceView(UUID id, String tenantId, String name, String baseUrl, boolean verifyTls, boolean customCaBundle,
            String version, String status, OffsetDateTime checkedAt, OffsetDateTime createdAt) {
        static InstanceView of(AuthentikInstance instance) {
            return new InstanceView(instance.id, instance.tenantId, instance.name, instance.baseUrl, instance.verifyTls,
                    instance.caBundlePem != null, instance.version, instance.status, instance.checkedAt, instance.createdAt);
        }
    }
}
