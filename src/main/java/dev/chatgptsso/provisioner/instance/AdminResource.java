package dev.chatgptsso.provisioner.instance;

import dev.chatgptsso.provisioner.web.CurrentCaller;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Operations for the service's operators (admin keys only). */
@Path("/api/v1/admin")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Administration")
@SecurityRequirement(name = "apiKey")
public class AdminResource {
    private final InstanceService instances;
    private final CurrentCaller caller;

    AdminResource(InstanceService instances, CurrentCaller caller) {
        this.instances = instances;
        this.caller = caller;
    }

    @POST
    @Path("/tokens/re-encrypt")
    @Operation(summary = "Re-encrypt stored authentik tokens with the newest key",
            description = "After adding a key at the end of provisioner.crypto.keys: moves every token still under an older key to the newest one. Safe to repeat; afterwards the old key can be removed from the configuration.")
    public InstanceApi.ReEncryption reencrypt() {
        caller.requireAdmin();
        return instances.reencryptTokens();
    }
}
