package dev.chatgptsso.provisioner.integration;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.chatgptsso.provisioner.chatgpt.ChatGptOidcRecipe;
import dev.chatgptsso.provisioner.chatgpt.ChatGptSamlRecipe;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** Request and response bodies of {@code /api/v1/tenants/{tenantId}/integrations}. */
public final class IntegrationApi {
    private IntegrationApi() {}

    public record CreateIntegration(
            UUID instanceId,
            @Pattern(regexp = "^(oidc|saml)$", message = "must be oidc or saml") String protocol,
            @NotNull @Valid ApplicationSpec application,
            @Size(max = 100) @Pattern(regexp = "^[-a-zA-Z0-9_]+$", message = "must be a flow slug") String authorizationFlowSlug,
            UUID signingKeyId) {

        public String protocolOrDefault() {
            return protocol == null ? "oidc" : protocol;
        }
    }

    public record ApplicationSpec(
            @NotBlank @Size(max = 200) @Pattern(regexp = "^[^\\p{Cntrl}]*$", message = "must not contain control characters") String name,
            @NotNull @Pattern(regexp = "^[-a-zA-Z0-9_]{1,50}$", message = "must be 1-50 letters, digits, '-' or '_'") String slug,
            @Size(max = 200) @Pattern(regexp = "^[^\\p{Cntrl}]*$", message = "must not contain control characters") String group,
            @Pattern(regexp = "^(any|all)$", message = "must be any or all") String policyEngineMode) {}

    /**
     * OIDC: {@code loginRedirectUri}. SAML: {@code acsUrl} and {@code audience}. Checked by the service,
     * which knows the integration's protocol, so each field error names the right field.
     */
    public record Finalise(
            @Size(max = 2000) String loginRedirectUri,
            @Size(max = 2000) String acsUrl,
            @Size(max = 2000) String audience) {}

    public record Adopt(
            UUID instanceId,
            @NotNull @Pattern(regexp = "^[-a-zA-Z0-9_]{1,200}$", message = "must be an application slug") String applicationSlug) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record IntegrationView(UUID id, String tenantId, UUID instanceId, String protocol, IntegrationStatus status, boolean adopted,
            ApplicationView application, AuthentikView authentik, OidcView oidc, SamlView saml, FailureView failure,
            String pendingOperation, List<String> nextSteps, OffsetDateTime createdAt, OffsetDateTime updatedAt, OffsetDateTime deletedAt) {

        static IntegrationView of(Integration integration, String clientSecret) {
            boolean created = integration.providerPk != null || integration.clientId != null;
            boolean saml = "saml".equals(integration.protocol);
            FailureView failure = integration.status == IntegrationStatus.FAILED
                    ? new FailureView(integration.failureStep, integration.failureStatus, integration.failureDetail, integration.cleanupPending)
                    : null;
            List<String> nextSteps = switch (integration.status) {
                case AWAITING_FINALISE, ACTIVE -> saml ? ChatGptSamlRecipe.nextSteps(integration.status.value())
                        : ChatGptOidcRecipe.nextSteps(integration.status.value());
                default -> null;
            };
            OidcView oidc = !saml && created && integration.issuer != null
                    ? new OidcView(integration.clientId, clientSecret, integration.discoveryEndpoint, integration.issuer,
                            List.copyOf(integration.redirectUris))
                    : null;
            SamlView samlView = saml && integration.samlEntityId != null
                    ? new SamlView(integration.samlEntityId, integration.samlSsoUrl, integration.samlSloUrl, integration.samlCertificatePem,
                            integration.samlMetadataUrl, integration.samlAcsUrl, integration.samlAudience)
                    : null;
            return new IntegrationView(integration.id, integration.tenantId, integration.instanceId, integration.protocol,
                    integration.status, integration.adopted,
                    new ApplicationView(integration.appName, integration.appSlug, integration.appGroup, integration.policyEngineMode),
                    new AuthentikView(integration.authentikVersion, integration.applicationPk, integration.providerPk,
                            List.copyOf(integration.propertyMappingPks)),
                    oidc, samlView, failure, integration.pendingOperation, nextSteps, integration.createdAt, integration.updatedAt,
                    integration.deletedAt);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ApplicationView(String name, String slug, String group, String policyEngineMode) {}

    public record AuthentikView(String version, UUID applicationPk, Integer providerPk, List<String> propertyMappingPks) {}

    /** {@code clientSecret} is present only in the answer to the create call. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record OidcView(String clientId, String clientSecret, String discoveryEndpoint, String issuer, List<String> redirectUris) {
        @Override
        public String toString() {
            return "OidcView[clientId=" + clientId + ", clientSecret=***, discoveryEndpoint=" + discoveryEndpoint + "]";
        }
    }

    /** What ChatGPT's Custom SAML wizard asks for, read from authentik; {@code acsUrl}/{@code audience} as finalised. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SamlView(String entityId, String ssoUrl, String sloUrl, String certificatePem, String metadataUrl, String acsUrl,
            String audience) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FailureView(String step, Integer authentikStatus, String detail, boolean cleanupPending) {}

    public record IntegrationPage(List<IntegrationView> items, int page, int size, long total) {}

    /** The client credentials as authentik holds them now. */
    public record Credentials(String clientId, String clientSecret) {
        @Override
        public String toString() {
            return "Credentials[clientId=" + clientId + ", clientSecret=***]";
        }
    }

    /** The new secret, returned once; ChatGPT keeps using the old one until an admin enters this one. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RotatedSecret(UUID integrationId, String clientId, String clientSecret, OffsetDateTime rotatedAt, String notice) {
        @Override
        public String toString() {
            return "RotatedSecret[integrationId=" + integrationId + ", clientSecret=***]";
        }
    }

    public record Check(String id, CheckStatus status, String detail) {}

    public enum CheckStatus {
        pass, warn, fail
    }

    public record VerifyReport(UUID integrationId, boolean healthy, List<Check> checks, OffsetDateTime verifiedAt) {}

    /** An adopted integration and what verify found when it was taken over. */
    public record Adopted(IntegrationView integration, VerifyReport verification) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Event(long id, OffsetDateTime at, String step, String kind, String outcome, String method, String path, Integer status,
            Long durationMs, String detail, String actor) {}

    public record EventPage(List<Event> items, int page, int size, long total) {}
}
