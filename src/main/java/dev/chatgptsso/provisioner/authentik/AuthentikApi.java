package dev.chatgptsso.provisioner.authentik;

import dev.chatgptsso.provisioner.authentik.AuthentikDtos.Application;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.CertificateKeyPair;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.Flow;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.OAuth2Provider;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.Page;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.ScopeMapping;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.ScopeMappingRequest;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.SessionUser;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.TransactionalApplicationRequest;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.TransactionalApplicationResponse;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.Version;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The HTTP shape of the authentik calls this service makes, relative to {@code <instance>/api/v3}.
 * Every path ends with a slash: Django cannot redirect a write that lacks it. Only
 * {@link AuthentikClient} uses this interface; it owns timeouts and error translation.
 */
@Path("")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
interface AuthentikApi extends AutoCloseable {

    @GET
    @Path("admin/version/")
    RestResponse<Version> version();

    @GET
    @Path("core/users/me/")
    RestResponse<SessionUser> currentUser();

    @GET
    @Path("flows/instances/{slug}/")
    RestResponse<Flow> flow(@PathParam("slug") String slug);

    @GET
    @Path("crypto/certificatekeypairs/")
    RestResponse<Page<CertificateKeyPair>> certificateKeyPairs(@QueryParam("has_key") Boolean hasKey, @QueryParam("name") String name);

    @GET
    @Path("crypto/certificatekeypairs/{kp_uuid}/")
    RestResponse<CertificateKeyPair> certificateKeyPair(@PathParam("kp_uuid") String pk);

    @GET
    @Path("propertymappings/provider/scope/")
    RestResponse<Page<ScopeMapping>> scopeMappings(@QueryParam("managed") List<String> managed, @QueryParam("name") String name);

    @GET
    @Path("propertymappings/provider/scope/{pm_uuid}/")
    RestResponse<ScopeMapping> scopeMapping(@PathParam("pm_uuid") String pk);

    @POST
    @Path("propertymappings/provider/scope/")
    RestResponse<ScopeMapping> createScopeMapping(ScopeMappingRequest request);

    @PATCH
    @Path("propertymappings/provider/scope/{pm_uuid}/")
    RestResponse<ScopeMapping> patchScopeMapping(@PathParam("pm_uuid") String pk, Map<String, Object> fields);

    @GET
    @Path("providers/oauth2/")
    RestResponse<Page<OAuth2Provider>> oauth2Providers(@QueryParam("client_id") String clientId);

    @GET
    @Path("providers/oauth2/{id}/")
    RestResponse<OAuth2Provider> oauth2Provider(@PathParam("id") int pk);

    @PATCH
    @Path("providers/oauth2/{id}/")
    RestResponse<OAuth2Provider> patchOAuth2Provider(@PathParam("id") int pk, Map<String, Object> fields);

    @DELETE
    @Path("providers/oauth2/{id}/")
    RestResponse<Void> deleteOAuth2Provider(@PathParam("id") int pk);

    @GET
    @Path("core/applications/{slug}/")
    RestResponse<Application> application(@PathParam("slug") String slug);

    @DELETE
    @Path("core/applications/{slug}/")
    RestResponse<Void> deleteApplication(@PathParam("slug") String slug);

    @PUT
    @Path("core/transactional/applications/")
    RestResponse<TransactionalApplicationResponse> createApplicationWithProvider(TransactionalApplicationRequest request);
}
