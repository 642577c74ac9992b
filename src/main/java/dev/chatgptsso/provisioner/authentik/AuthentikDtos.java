package dev.chatgptsso.provisioner.authentik;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import java.util.Map;

/**
 * The parts of authentik's API objects this service reads and writes (REFERENCE.md sections 2–12).
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
    public record User(Integer pk, String username, String name, String email) {}

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
    public record CertificateData(String data) {}

    /** A scope mapping or a SAML property mapping; {@code scopeName} is set for the first, {@code samlName} for the second. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record PropertyMapping(String pk, String managed, String name, String expression, String scopeName, String samlName,
            String friendlyName, String description) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record UsedBy(String app, String modelName, String pk, String name, String action) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record RedirectUri(String matchingMode, String url, String redirectUriType) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record OAuth2Provider(Integer pk, String name, String authorizationFlow, String invalidationFlow, List<String> propertyMappings,
            String clientType, List<String> grantTypes, String clientId, String clientSecret, Boolean includeClaimsInIdToken,
            String signingKey, List<RedirectUri> redirectUris, String issuerMode, String subMode, String assignedApplicationSlug,
            String metaModelName) {
        @Override
        public String toString() {
            return "OAuth2Provider[pk=" + pk + ", name=" + name + ", clientId=" + clientId + ", clientSecret=***]";
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record OAuth2ProviderRequest(String name, String authorizationFlow, String invalidationFlow, List<String> propertyMappings,
            String clientType, List<String> grantTypes, String clientId, String clientSecret, Boolean includeClaimsInIdToken,
            String signingKey, List<RedirectUri> redirectUris, String issuerMode, String subMode) {
        @Override
        public String toString() {
            return "OAuth2ProviderRequest[name=" + name + ", clientId=" + clientId + ", clientSecret=***]";
        }
    }

    /** The SAML provider as read: 2026.5+ has {@code issuer_override}/{@code url_issuer}, older versions {@code issuer}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record SamlProvider(Integer pk, String name, String authorizationFlow, String invalidationFlow, List<String> propertyMappings,
            String acsUrl, String audience, String issuer, String issuerOverride, String urlIssuer, String nameIdMapping,
            String defaultNameIdPolicy, String signingKp, Boolean signAssertion, Boolean signResponse, String spBinding,
            String assertionValidNotBefore, String assertionValidNotOnOrAfter, String sessionValidNotOnOrAfter,
            String digestAlgorithm, String signatureAlgorithm, String urlDownloadMetadata, String urlSsoRedirect,
            String urlSloRedirect, String urlUnified, String assignedApplicationSlug, String metaModelName) {

        /** The IdP entity ID: {@code url_issuer} on 2026.5+, the stored {@code issuer} before (REFERENCE 12.3). */
        public String entityId() {
            return urlIssuer != null ? urlIssuer : issuer;
        }

        /** Sign-in URL for ChatGPT: the unified endpoint where authentik has it, else the redirect binding. */
        public String signInUrl() {
            return urlUnified != null && !"-".equals(urlUnified) ? urlUnified : urlSsoRedirect;
        }

        public String signOutUrl() {
            return urlUnified != null && !"-".equals(urlUnified) ? urlUnified : urlSloRedirect;
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record SamlProviderRequest(String name, String authorizationFlow, String invalidationFlow, List<String> propertyMappings,
            String acsUrl, String audience, String nameIdMapping, String defaultNameIdPolicy, String signingKp, Boolean signAssertion,
            Boolean signResponse, String spBinding, String assertionValidNotBefore, String assertionValidNotOnOrAfter,
            String sessionValidNotOnOrAfter, String digestAlgorithm, String signatureAlgorithm) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ProviderSummary(Integer pk, String name, String metaModelName) {}

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Application(String pk, String name, String slug, Integer provider, ProviderSummary providerObj, String group,
            String policyEngineMode) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record ApplicationRequest(String name, String slug, Integer provider, String group, String policyEngineMode,
            Boolean openInNewTab) {}

    /** {@code PUT core/transactional/applications/}: creates the application and its provider atomically (REFERENCE 9.5). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record TransactionalApplicationRequest(ApplicationRequest app, String providerModel, Object provider) {
        @Override
        public String toString() {
            return "TransactionalApplicationRequest[app=" + app + ", providerModel=" + providerModel + "]";
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record TransactionalApplicationResponse(Boolean applied, List<Object> logs) {}

    /** {@code preview_user}: the claims (OIDC) or attributes and NameID (SAML) a login would carry. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Preview(Map<String, JsonNode> preview) {}
}
