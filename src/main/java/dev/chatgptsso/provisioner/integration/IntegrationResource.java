package dev.chatgptsso.provisioner.integration;

import dev.chatgptsso.provisioner.instance.InstanceResource;
import dev.chatgptsso.provisioner.web.CurrentCaller;
import dev.chatgptsso.provisioner.web.ProblemException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/tenants/{tenantId}/integrations")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "ChatGPT integrations")
@SecurityRequirement(name = "apiKey")
public class IntegrationResource {
    private static final String KEY_PATTERN = "^[\\x21-\\x7e]+$";
    private static final String KEY_MESSAGE = "must be printable ASCII without spaces";
    private static final String KEY_DESCRIPTION = "Repeat the request safely: the same key with the same request returns the first "
            + "successful answer (secrets removed) for at least 24 h; the same key with another request is a 422.";
    private static final String STATUS_PATTERN = "^(provisioning|awaiting_finalise|active|failed|deleting|deleted)$";

    private final IntegrationService integrations;
    private final CurrentCaller caller;

    IntegrationResource(IntegrationService integrations, CurrentCaller caller) {
        this.integrations = integrations;
        this.caller = caller;
    }

    public record VerifyRequest(
            @Size(max = 150) @Pattern(regexp = "^[^\\p{Cntrl}\\s]+$", message = "must be an authentik username") String previewUser) {}

    @POST
    @Operation(summary = "Provision ChatGPT SSO (OIDC or SAML) in authentik",
            description = "OIDC: the instance's ChatGPT profile scope mapping (made once), then provider and application in one authentik transaction, redirect URI https://temp.temp; the client secret is returned only in this answer. SAML: the instance's given-name and surname mappings (made once), then provider and application, ACS URL https://temp.temp; the answer carries entity ID, sign-in/out URLs and the certificate.")
    public Response create(@PathParam("tenantId") String tenantId,
            @Parameter(description = KEY_DESCRIPTION) @HeaderParam("Idempotency-Key") @Size(min = 1, max = 200)
            @Pattern(regexp = KEY_PATTERN, message = KEY_MESSAGE) String idempotencyKey,
            @Valid @NotNull IntegrationApi.CreateIntegration body, UriInfo uriInfo) {
        caller.requireTenant(tenantId);
        IntegrationService.Answer answer = integrations.create(tenantId, body, Optional.ofNullable(idempotencyKey), actor());
        return Response.status(answer.status()).entity(answer.body())
                .location(uriInfo.getAbsolutePathBuilder().path(answer.integrationId().toString()).build()).build();
    }

    @POST
    @Path("/adopt")
    @Operation(summary = "Take over a ChatGPT integration made by hand",
            description = "Reads the application and its provider, records them as adopted (never deleted by this service, only released) and verifies them. Writes nothing to authentik.")
    public Response adopt(@PathParam("tenantId") String tenantId, @Valid @NotNull IntegrationApi.Adopt body, UriInfo uriInfo) {
        caller.requireTenant(tenantId);
        IntegrationApi.Adopted adopted = integrations.adopt(tenantId, body, actor());
        return Response.status(201).entity(adopted)
                .location(uriInfo.getBaseUriBuilder().path("api/v1/tenants").path(tenantId).path("integrations")
                        .path(adopted.integration().id().toString()).build()).build();
    }

    @POST
    @Path("/{integrationId}/finalise")
    @Operation(summary = "Put ChatGPT's values in place of the temporary ones",
            description = "OIDC: {\"loginRedirectUri\"}; the redirect list becomes exactly that URI (strict; type authorization on authentik 2026.5+). SAML: {\"acsUrl\", \"audience\"}. Read back and compared. Repeating with the same values is a no-op.")
    public Response finalise(@PathParam("tenantId") String tenantId, @PathParam("integrationId") String integrationId,
            @Parameter(description = KEY_DESCRIPTION) @HeaderParam("Idempotency-Key") @Size(min = 1, max = 200)
            @Pattern(regexp = KEY_PATTERN, message = KEY_MESSAGE) String idempotencyKey,
            @Valid IntegrationApi.Finalise body) {
        caller.requireTenant(tenantId);
        return respond(integrations.finalise(tenantId, id(integrationId), body, Optional.ofNullable(idempotencyKey), actor()));
    }

    @GET
    @Path("/{integrationId}")
    @Operation(summary = "Read one integration (never the client secret)")
    public IntegrationApi.IntegrationView get(@PathParam("tenantId") String tenantId, @PathParam("integrationId") String integrationId) {
        caller.requireTenant(tenantId);
        return IntegrationApi.IntegrationView.of(integrations.require(tenantId, id(integrationId)), null);
    }

    @GET
    @Operation(summary = "List the tenant's integrations, oldest first")
    public IntegrationApi.IntegrationPage list(@PathParam("tenantId") String tenantId,
            @QueryParam("status") @Pattern(regexp = STATUS_PATTERN, message = "must be provisioning, awaiting_finalise, active, failed, deleting or deleted") String status,
            @QueryParam("page") @DefaultValue("1") @Pattern(regexp = "^[1-9][0-9]{0,6}$", message = "must be a whole number from 1") String page,
            @QueryParam("size") @DefaultValue("20") @Pattern(regexp = "^([1-9]|[1-9][0-9]|100)$", message = "must be a whole number from 1 to 100") String size) {
        caller.requireTenant(tenantId);
        int pageNumber = Integer.parseInt(page);
        int pageSize = Integer.parseInt(size);
        IntegrationStore.PageOf<Integration> result = integrations.page(tenantId, Optional.ofNullable(status).flatMap(IntegrationStatus::of),
                pageNumber, pageSize);
        return new IntegrationApi.IntegrationPage(result.items().stream().map(i -> IntegrationApi.IntegrationView.of(i, null)).toList(),
                pageNumber, pageSize, result.total());
    }

    @GET
    @Path("/{integrationId}/credentials")
    @Operation(summary = "Read the OIDC client id and secret live from authentik",
            description = "Recorded in the integration's events with the caller's key id. 409 for SAML integrations.")
    public IntegrationApi.Credentials credentials(@PathParam("tenantId") String tenantId, @PathParam("integrationId") String integrationId) {
        caller.requireTenant(tenantId);
        return integrations.credentials(tenantId, id(integrationId), actor());
    }

    @POST
    @Path("/{integrationId}/rotate-secret")
    @Operation(summary = "Replace the OIDC client secret",
            description = "Generates a strong secret, PATCHes only client_secret, reads it back, and returns it once. ChatGPT must be given the new secret.")
    public Response rotateSecret(@PathParam("tenantId") String tenantId, @PathParam("integrationId") String integrationId,
            @Parameter(description = KEY_DESCRIPTION) @HeaderParam("Idempotency-Key") @Size(min = 1, max = 200)
            @Pattern(regexp = KEY_PATTERN, message = KEY_MESSAGE) String idempotencyKey) {
        caller.requireTenant(tenantId);
        return respond(integrations.rotateSecret(tenantId, id(integrationId), Optional.ofNullable(idempotencyKey), actor()));
    }

    @POST
    @Path("/{integrationId}/verify")
    @Operation(summary = "Check that authentik still holds what ChatGPT needs (read-only)",
            description = "Never writes to authentik. previewUser (optional) names the user whose ID token claims are previewed; default: the token's own user.")
    public IntegrationApi.VerifyReport verify(@PathParam("tenantId") String tenantId, @PathParam("integrationId") String integrationId,
            @Valid VerifyRequest body) {
        caller.requireTenant(tenantId);
        return integrations.verify(tenantId, id(integrationId), body == null ? null : body.previewUser(), actor());
    }

    @DELETE
    @Path("/{integrationId}")
    @Operation(summary = "Remove the integration from authentik",
            description = "Deletes the application, the provider and the service's mappings no other provider uses, in that order, only those this service made; adopted integrations are released instead. A failure half way leaves status deleting; deleting again finishes the job. The record stays readable.")
    public Response delete(@PathParam("tenantId") String tenantId, @PathParam("integrationId") String integrationId,
            @Parameter(description = KEY_DESCRIPTION) @HeaderParam("Idempotency-Key") @Size(min = 1, max = 200)
            @Pattern(regexp = KEY_PATTERN, message = KEY_MESSAGE) String idempotencyKey) {
        caller.requireTenant(tenantId);
        return respond(integrations.delete(tenantId, id(integrationId), Optional.ofNullable(idempotencyKey), actor()));
    }

    @GET
    @Path("/{integrationId}/events")
    @Operation(summary = "The integration's audit trail, oldest first",
            description = "Every authentik call made for it (method, path, status, duration; never bodies), every state change, every credentials read, each with who asked.")
    public IntegrationApi.EventPage events(@PathParam("tenantId") String tenantId, @PathParam("integrationId") String integrationId,
            @QueryParam("page") @DefaultValue("1") @Pattern(regexp = "^[1-9][0-9]{0,6}$", message = "must be a whole number from 1") String page,
            @QueryParam("size") @DefaultValue("100") @Pattern(regexp = "^([1-9]|[1-9][0-9]{1,2}|1000)$", message = "must be a whole number from 1 to 1000") String size) {
        caller.requireTenant(tenantId);
        return integrations.events(tenantId, id(integrationId), Integer.parseInt(page), Integer.parseInt(size));
    }

    private static Response respond(IntegrationService.Answer answer) {
        return Response.status(answer.status()).entity(answer.body()).build();
    }

    private String actor() {
        return caller.get().keyId();
    }

    private static UUID id(String raw) {
        try {
            return InstanceResource.parseId(raw, "integration");
        } catch (ProblemException e) {
            throw ProblemException.notFound("integration");
        }
    }
}
