package dev.chatgptsso.provisioner.tenant;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;

/** Request and response bodies of {@code /api/v1/tenants}. */
public final class TenantApi {
    private TenantApi() {}

    public record CreateTenant(
            @NotNull @Pattern(regexp = "^[a-z0-9][a-z0-9-]{1,62}$", message = "must match ^[a-z0-9][a-z0-9-]{1,62}$") String id,
            @NotBlank @Size(max = 200) @Pattern(regexp = "^[^\\p{Cntrl}]*$", message = "must not contain control characters") String displayName) {}

    public record TenantView(String id, String displayName, OffsetDateTime createdAt) {
        static TenantView of(Tenant tenant) {
            return new TenantView(tenant.id, tenant.displayName, tenant.createdAt);
        }
    }
}
