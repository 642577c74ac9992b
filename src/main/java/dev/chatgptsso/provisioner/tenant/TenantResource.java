package dev.chatgptsso.provisioner.tenant;

import dev.chatgptsso.provisioner.web.CurrentCaller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/tenants")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Tenants")
@SecurityRequirement(name = "apiKey")
public class TenantResource {
    private final TenantService tenants;
    private final CurrentCaller caller;

    TenantResource(TenantService tenants, CurrentCaller caller) {
        this.tenants = tenants;
        this.caller = caller;
    }

    @POST
    @Operation(summary = "Register a tenant (admin keys only)")
    public Response create(@Valid @NotNull TenantApi.CreateTenant body, UriInfo uriInfo) {
        caller.requireAdmin();
        Tenant tenant = tenants.create(body);
        return Response.created(uriInfo.getAbsolutePathBuilder().path(tenant.id).build()).entity(TenantApi.TenantView.of(tenant)).build();
    }

    @GET
    @Operation(summary = "List the tenants this API key may see")
    public List<TenantApi.TenantView> list() {
        Optional<String> scope = Optional.ofNullable(caller.get().tenantScope());
        return tenants.list(scope).stream().map(TenantApi.TenantView::of).toList();
    }

    @GET
    @Path("/{tenantId}")
    @Operation(summary = "Read one tenant")
    public TenantApi.TenantView get(@PathParam("tenantId") String tenantId) {
        caller.requireTenant(tenantId);
        return TenantApi.TenantView.of(tenants.require(tenantId));
    }
}
