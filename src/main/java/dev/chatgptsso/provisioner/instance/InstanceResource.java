package dev.chatgptsso.provisioner.instance;

import dev.chatgptsso.provisioner.web.CurrentCaller;
import dev.chatgptsso.provisioner.web.ProblemException;
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
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("/api/v1/tenants/{tenantId}/instances")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "authentik instances")
@SecurityRequirement(name = "apiKey")
public class InstanceResource {
    private final InstanceService instances;
    private final CurrentCaller caller;

    InstanceResource(InstanceService instances, CurrentCaller caller) {
        this.instances = instances;
        this.caller = caller;
    }

    @POST
    @Operation(summary = "Register an authentik instance",
            description = "Calls authentik's admin/version/ and core/users/me/ (in parallel with the lookups the recipes need) to check reachability, token, version (2024.12 or newer) and permissions. The token is stored encrypted and never returned. caBundlePem (optional) replaces the trusted CAs for this instance.")
    public Response register(@PathParam("tenantId") String tenantId, @Valid @NotNull InstanceApi.RegisterInstance body, UriInfo uriInfo) {
        caller.requireTenant(tenantId);
        AuthentikInstance instance = instances.register(tenantId, body);
        return Response.created(uriInfo.getAbsolutePathBuilder().path(instance.id.toString()).build())
                .entity(InstanceApi.InstanceView.of(instance)).build();
    }

    @GET
    @Operation(summary = "List the tenant's authentik instances")
    public List<InstanceApi.InstanceView> list(@PathParam("tenantId") String tenantId) {
        caller.requireTenant(tenantId);
        return instances.list(tenantId).stream().map(InstanceApi.InstanceView::of).toList();
    }

    @GET
    @Path("/{instanceId}")
    @Operation(summary = "Read one authentik instance")
    public InstanceApi.InstanceView get(@PathParam("tenantId") String tenantId, @PathParam("instanceId") String instanceId) {
        caller.requireTenant(tenantId);
        return InstanceApi.InstanceView.of(instances.require(tenantId, parseId(instanceId, "instance")));
    }

    @GET
    @Path("/{instanceId}/health")
    @Operation(summary = "How the instance answers now",
            description = "Calls admin/version/ and reports reachability, whether the token is accepted, the version and the latency. An unreachable instance is a 200 with reachable=false: one dead authentik never makes this service unready.")
    public InstanceApi.InstanceHealth health(@PathParam("tenantId") String tenantId, @PathParam("instanceId") String instanceId) {
        caller.requireTenant(tenantId);
        return instances.health(tenantId, parseId(instanceId, "instance"));
    }

    /** A malformed id cannot name anything: 404, the same answer as an unknown id. */
    public static UUID parseId(String raw, String what) {
        try {
            return UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound(what);
        }
    }
}
