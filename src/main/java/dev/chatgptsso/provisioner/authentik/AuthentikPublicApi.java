package dev.chatgptsso.provisioner.authentik;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.rest.client.reactive.Url;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * What anyone can read from an authentik instance without a token, relative to its public base URL: what
 * ChatGPT itself fetches (REFERENCE 10). Used only by the read-only verification.
 */
@Path("")
@Produces(MediaType.APPLICATION_JSON)
interface AuthentikPublicApi extends AutoCloseable {

    @GET
    @Path("application/o/{slug}/.well-known/openid-configuration")
    RestResponse<JsonNode> discovery(@Url String base, @PathParam("slug") String slug);

    @GET
    @Path("application/o/{slug}/jwks/")
    RestResponse<JsonNode> jwks(@Url String base, @PathParam("slug") String slug);
}
