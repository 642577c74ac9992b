package dev.chatgptsso.provisioner.integration;

import dev.chatgptsso.provisioner.instance.InstanceResource;
import dev.chatgptsso.provisioner.web.CurrentCaller;
import dev.chatgptsso.provisioner.web.ProblemException;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
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
    private final IntegrationService integrations;
    private final CurrentCaller caller;

    IntegrationResource(IntegrationService integrations, CurrentCaller caller) {
        this.integrations = integrations;
        this.caller = caller;
    }

    @POST
    @Operation(summary = "Provision ChatGPT OIDC SSO in authentik",
            description = "Creates (or reuses) the instance's ChatGPT profile scope mapping, then the OAuth2 provider and the application in one authentik transaction, with the temporary redirect URI https://temp.temp. The client secret is returned only in this answer.")
    public Response create(@PathParam("tenantId") String tenantId,
            @Parameter(description = "Repeat a create safely: the same key and body return the first answer (without the secret).")
            @HeaderParam("Idempotency-Key") @Size(min = 1, max = 200) @Pattern(regexp = "^[\\x21-\\x7e]+$", message = "must be printable ASCII without spaces") String idempotencyKey,
            @Valid @NotNull IntegrationApi.CreateIntegration body, UriInfo uriInfo) {
        caller.requireTenant(tenantId);
        IntegrationService.Created created = integrations.create(tenantId, body, Optional.ofNullable(idempotencyKey));
        return Response.created(uriInfo.getAbsolutePathBuilder().path(created.integration().id.toString()).build())
                .entity(IntegrationApi.IntegrationView.of(created.integration(), created.clientSecret()))
                .build();
    }

    @POST
    @Path("/{integrationId}/finalise")
    @Operation(summary = "Replace the temporary redirect URI by ChatGPT's Login redirect URI",
            description = "The provider's redirect list becomes exactly that URI (strict; type authorization on authentik 2026.5+), read back and compared. Repeating with the same URI is a no-op.")
    public IntegrationApi.IntegrationView finalise(@PathParam("tenantId") String tenantId, @PathParam("integrationId") String integrationId,
            IntegrationApi.Finalise body) {
        caller.requireTenant(tenantId);
        return IntegrationApi.IntegrationView.of(integrations.finalise(tenantId, id(integrationId), body), null);
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
            @QueryParam("status") @Pattern(regexp = "^(provisioning|awaiting_finalise|active|failed)$", message = "must be provisioning, awaiting_finalise, active or failed") String status,
            @QueryParam("page") @DefaultValue("1") @Pattern(regexp = "^[1-9][0-9]{0,6}$", message = "must be a whole number from 1") String page,
            @QueryParam("size") @DefaultValue("20") @Pattern(regexp = "^([1-9]|[1-9][0-9]|100)$", message = "must be a whole number from 1 to 100") String size) {
        caller.requireTenant(tenantId);
        int pageNumber = Integer.parseInt(page);
        int pageSize = Integer.parseInt(size);
        IntegrationStore.PageOf result = integrations.page(tenantId, Optional.ofNullable(status).flatMap(IntegrationStatus::of), pageNumber, pageSize);
        return new IntegrationApi.IntegrationPage(result.items().stream().map(i -> IntegrationApi.IntegrationView.of(i, null)).toList(),
                pageNumber, pageSize, result.total());
    }

    private static UUID id(String raw) {
        try {
            return InstanceResource.parseId(raw, "integration");
        } catch (ProblemException e) {
            throw ProblemException.notFound("integration");
        }
    }
}
