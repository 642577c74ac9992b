package dev.chatgptsso.provisioner.authentik;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * The parts of authentik's API objects this service reads and writes (REFERENCE.md sections 2–9).
 * Unknown response fields are ignored; request records leave out nulls so a field the caller does
 * not own is never sent.
 */
public final class AuthentikDtos {
    private AuthentikDtos() {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Version(String versionCurrent) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SessionUser(UserSelf user) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record UserSelf(Integer pk, String username, Boolean isSuperuser, Boolean isActive, List<String> systemPermissions) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Pagination(int next, int count) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Page<T>(Pagination pagination, List<T> results) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Flow(String pk, String slug, String name, String designation) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record CertificateKeyPair(String pk, String name, Boolean privateKeyAvailable, String keyType, String privateKeyType,
            String certExpiry, String fingerprintSha256, String managed) {

        /** {@code key_type} since 2025.12, {@code private_key_type} before. */
        public String effectiveKeyType() {
            return keyType != null ? keyType : privateKeyType;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ScopeMapping(String pk, String managed, String name, String scopeName, String expression, String description) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ScopeMappingRequest(String name, String scopeName, String expression, String description) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record RedirectUri(String matchingMode, String url, String redirectUriType) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record OAuth2Provider(Integer pk, String name, String authorizationFlow, String invalidationFlow, List<String> propertyMappings,
            String clientType, List<String> grantTypes, String clientId, Boolean includeClaimsInIdToken, String signingKey,
            List<RedirectUri> redirectUris, String issuerMode, String subMode, String assignedApplicationSlug) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record OAuth2ProviderRequest(String name, String authorizationFlow, String invalidationFlow, List<String> propertyMappings,
            String clientType, List<String> grantTypes, String clientId, String clientSecret, Boolean includeClaimsInIdToken,
            String signingKey, List<RedirectUri> redirectUris, String issuerMode, String subMode) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Application(String pk, String name, String slug, Integer provider, String group, String policyEngineMode) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ApplicationRequest(String name, String slug, Integer provider, String group, String policyEngineMode,
            Boolean openInNewTab) {}

    /** {@code PUT core/transactional/applications/}: creates the application and its provider atomically (REFERENCE 9.5). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record TransactionalApplicationRequest(ApplicationRequest app, String providerModel, Object provider) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TransactionalApplicationResponse(Boolean applied, List<Object> logs) {}
}
