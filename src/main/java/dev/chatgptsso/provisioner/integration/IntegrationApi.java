package dev.chatgptsso.provisioner.integration;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.chatgptsso.provisioner.chatgpt.ChatGptOidcRecipe;
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
            @Pattern(regexp = "^oidc$", message = "must be oidc") String protocol,
            @NotNull @Valid ApplicationSpec application,
            @Size(max = 100) @Pattern(regexp = "^[-a-zA-Z0-9_]+$", message = "must be a flow slug") String authorizationFlowSlug,
            UUID signingKeyId) {}

    public record ApplicationSpec(
            @NotBlank @Size(max = 200) @Pattern(regexp = "^[^\\p{Cntrl}]*$", message = "must not contain control characters") String name,
            @NotNull @Pattern(regexp = "^[-a-zA-Z0-9_]{1,50}$", message = "must be 1-50 letters, digits, '-' or '_'") String slug,
            @Size(max = 200) @Pattern(regexp = "^[^\\p{Cntrl}]*$", message = "must not contain control characters") String group,
            @Pattern(regexp = "^(any|all)$", message = "must be any or all") String policyEngineMode) {}

    public record Finalise(String loginRedirectUri) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record IntegrationView(UUID id, String tenantId, UUID instanceId, String protocol, IntegrationStatus status,
            ApplicationView application, AuthentikView authentik, OidcView oidc, FailureView failure, List<String> nextSteps,
            OffsetDateTime createdAt, OffsetDateTime updatedAt) {

        static IntegrationView of(Integration integration, String clientSecret) {
            boolean created = integration.providerPk != null;
            FailureView failure = integration.status == IntegrationStatus.FAILED
                    ? new FailureView(integration.failureStep, integration.failureStatus, integration.failureDetail, integration.cleanupPending)
                    : null;
            List<String> nextSteps = switch (integration.status) {
                case AWAITING_FINALISE, ACTIVE -> ChatGptOidcRecipe.nextSteps(integration.status.value());
                default -> null;
            };
            return new IntegrationView(integration.id, integration.tenantId, integration.instanceId, integration.protocol,
                    integration.status,
                    new ApplicationView(integration.appName, integration.appSlug, integration.appGroup, integration.policyEngineMode),
                    new AuthentikView(integration.authentikVersion, integration.applicationPk, integration.providerPk,
                            List.copyOf(integration.propertyMappingPks)),
                    created ? new OidcView(integration.clientId, clientSecret, integration.discoveryEndpoint, integration.issuer,
                            List.copyOf(integration.redirectUris)) : null,
                    failure, nextSteps, integration.createdAt, integration.updatedAt);
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

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FailureView(String step, Integer authentikStatus, String detail, boolean cleanupPending) {}

    public record IntegrationPage(List<IntegrationView> items, int page, int size, long total) {}
}
