package dev.chatgptsso.provisioner.authentik;

import dev.chatgptsso.provisioner.authentik.AuthentikDtos.Application;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.CertificateData;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.CertificateKeyPair;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.Flow;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.OAuth2Provider;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.Page;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.Preview;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.PropertyMapping;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.SamlProvider;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.SessionUser;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.TransactionalApplicationRequest;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.TransactionalApplicationResponse;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.UsedBy;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.User;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.Version;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.core.HttpHeaders;
import io.quarkus.rest.client.reactive.Url;
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
 * {@link AuthentikClient} uses this interface; it owns timeouts, retries and error translation.
 */
@Path("")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
interface AuthentikApi extends AutoCloseable {

    @GET
    @Path("admin/version/")
    RestResponse<Version> version(@Url String base, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization);

    @GET
    @Path("core/users/me/")
    RestResponse<SessionUser> currentUser(@Url String base, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization);

    @GET
    @Path("core/users/")
    RestResponse<Page<User>> users(@Url String base, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @QueryParam("username") String username);

    @GET
    @Path("flows/instances/{slug}/")
    RestResponse<Flow> flow(@Url String base, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("slug") String slug);

    @GET
    @Path("crypto/certificatekeypairs/")
    RestResponse<Page<CertificateKeyPair>> certificateKeyPairs(@Url String base, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @QueryParam("has_key") Boolean hasKey, @QueryParam("name") String name);

    @GET
    @Path("crypto/certificatekeypairs/{kp_uuid}/")
    RestResponse<CertificateKeyPair> certificateKeyPair(@Url String base, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("kp_uuid") String pk);

    @GET
    @Path("crypto/certificatekeypairs/{kp_uuid}/view_certificate/")
    RestResponse<CertificateData> certificate(@Url String base, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("kp_uuid") String pk);

    @GET
    @Path("propertymappings/provider/scope/")
    RestResponse<Page<PropertyMapping>> scopeMappings(@Url String base, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @QueryParam("managed") List<String> managed, @QueryParam("name") String name);

    @GET
    @Path("propertymappings/provider/scope/{pm_uuid}/")
    RestResponse<PropertyMapping> scopeMapping(@Url String base, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("pm_uuid") String pk);

    @POST
    @Path("propertymappings/provider/scope/")
    RestResponse<PropertyMapping> createScopeMapping(@Url String base, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, Map<String, Object> fields);

    @PATCH
    @Path("propertymappings/provider/scope/{pm_uuid}/")
    RestResponse<PropertyMapping> patchScopeMapping(@Url String base, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("pm_uuid") String pk, Map<String, Object> fields);

    @DELETE
    @Path("propertymappings/provider/scope/{pm_uuid}/")
    RestResponse<Void> deleteScopeMapping(@Url String base, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("pm_uuid") String pk);

    @GET
    @Path("propertymappings/provider/scope/{pm_uuid}/used_by/")
    RestResponse<List<UsedBy>> scopeMappingUsedBy(@Url String base, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("pm_uuid") String pk);

    @GET
    @Path("propertymappings/provider/saml/")
    RestResponse<Page<PropertyMapping>> samlMappings(@Url String base, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @QueryParam("managed") List<String> managed, @QueryParam("name") String name);

    @GET
    @Path("propertymappings/provider/saml/{pm_uuid}/")
    RestResponse<PropertyMapping> samlMapping(@Url String base, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("pm_uuid") String pk);

    @POST
    @Path("propertymappings/provider/saml/")
    RestResponse<PropertyMapping> createSamlMapping(@Url String base, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, Map<String, Object> fields);

    @PATCH
    @Path("propertymappings/provider/saml/{pm_uuid}/")
    RestResponse<PropertyMapping> patchSamlMapping(@Url String base, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("pm_uuid") String pk, Map<String, Object> fields);

    @DELETE
    @Path("propertymappings/provider/saml/{pm_uuid}/")
    RestResponse<Void> deleteSamlMapping(@Url String base, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("pm_uuid") String pk);

    @GET
    @Path("propertymappings/provider/saml/{pm_uuid}/used_by/")
    RestResponse<List<UsedBy>> samlMappingUsedBy(@Url String base, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("pm_uuid") String pk);

    @GET
    @Path("providers/oauth2/")
    RestResponse<Page<OAuth2Provider>> oauth2Providers(@Url String base, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @QueryParam("client_id") String clientId, @QueryParam("name") String name);

    @GET
    @Path("providers/oauth2/{id}/")
    RestResponse<OAuth2Provider> oauth2Provider(@Url String base, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") int pk);

    @PATCH
    @Path("providers/oauth2/{id}/")
    RestResponse<OAuth2Provider> patchOAuth2Provider(@Url String base, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") int pk, Map<String, Object> fields);

    @DELETE
    @Path("providers/oauth2/{id}/")
    RestResponse<Void> deleteOAuth2Provider(@Url String base, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") int pk);

    @GET
    @Path("providers/oauth2/{id}/preview_user/")
    RestResponse<Preview> previewOAuth2User(@Url String base, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") int pk, @QueryParam("for_user") Integer forUser);

    @GET
    @Path("providers/saml/")
    RestResponse<Page<SamlProvider>> samlProviders(@Url String base, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @QueryParam("name") String name);

    @GET
    @Path("providers/saml/{id}/")
    RestResponse<SamlProvider> samlProvider(@Url String base, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") int pk);

    @PATCH
    @Path("providers/saml/{id}/")
    RestResponse<SamlProvider> patchSamlProvider(@Url String base, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") int pk, Map<String, Object> fields);

    @DELETE
    @Path("providers/saml/{id}/")
    RestResponse<Void> deleteSamlProvider(@Url String base, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") int pk);

    @GET
    @Path("providers/saml/{id}/preview_user/")
    RestResponse<Preview> previewSamlUser(@Url String base, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("id") int pk, @QueryParam("for_user") Integer forUser);

    @GET
    @Path("core/applications/{slug}/")
    RestResponse<Application> application(@Url String base, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("slug") String slug);

    @DELETE
    @Path("core/applications/{slug}/")
    RestResponse<Void> deleteApplication(@Url String base, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @PathParam("slug") String slug);

    @PUT
    @Path("core/transactional/applications/")
    RestResponse<TransactionalApplicationResponse> createApplicationWithProvider(@Url String base, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, TransactionalApplicationRequest request);
}
