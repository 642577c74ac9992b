package dev.chatgptsso.provisioner.fakeauthentik;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code providers/saml/} (REFERENCE 12): CRUD, public metadata, preview and dependants. */
final class SamlProviderEndpoints {

    private static final String BASE = "/api/v3/providers/saml/";

    private final FakeState state;

    SamlProviderEndpoints(FakeState state) {
        this.state = state;
    }

    void register(Routes routes) {
        routes.add("GET", BASE, Routes.Access.LIST, this::list);
        routes.add("POST", BASE, Routes.Access.WRITE, this::create);
        routes.add("GET", BASE + "{id}/", Routes.Access.DETAIL, request -> ApiResponse.ok(views(request).samlProvider(find(request))));
        routes.add("PUT", BASE + "{id}/", Routes.Access.WRITE, request -> update(request, true));
        routes.add("PATCH", BASE + "{id}/", Routes.Access.WRITE, request -> update(request, false));
        routes.add("DELETE", BASE + "{id}/", Routes.Access.WRITE, this::delete);
        routes.add("GET", BASE + "{id}/metadata/", Routes.Access.PUBLIC, this::metadata);
        routes.add("GET", BASE + "{id}/preview_user/", Routes.Access.DETAIL, this::previewUser);
        routes.add("GET", BASE + "{id}/used_by/", Routes.Access.DETAIL,
                request -> OAuth2ProviderEndpoints.usedBy(state, find(request)));
    }

    private Views views(ApiRequest request) {
        return new Views(state, request.baseUrl);
    }

    private ObjectNode find(ApiRequest request) {
        String id = request.pathParam(0);
        ObjectNode provider = id.matches("\\d{1,9}") ? state.samlProviders.get(Integer.parseInt(id)) : null;
        if (provider == null) {
            throw ApiException.notFound("SAML Provider");
        }
        return provider;
    }

    private ApiResponse list(ApiRequest request) {
        Views views = views(request);
        List<ObjectNode> all = state.samlProviders.values().stream()
                .filter(stored -> Listing.candidate(request, stored, "name")).map(views::samlProvider).toList();
        return ApiResponse.ok(Listing.of(request, all)
                .exact("name", "acs_url", "audience", "authorization_flow", "signing_kp", "sp_binding",
                        state.version.hasSamlIssuerOverride() ? "issuer_override" : "issuer")
                .containsAny("property_mappings", "property_mappings")
                .search("name")
                .order("name")
                .page(state.version));
    }

    private ApiResponse create(ApiRequest request) {
        FieldReader reader = ProviderFields.saml(request.jsonObject(), state, true, null, null);
        reader.throwIfErrors();
        ObjectNode stored = reader.values;
        int pk = state.allocateProviderPk();
        stored.put("pk", pk);
        state.samlProviders.put(pk, stored);
        return ApiResponse.created(views(request).samlProvider(stored));
    }

    private ApiResponse update(ApiRequest request, boolean full) {
        ObjectNode stored = find(request);
        FieldReader reader = ProviderFields.saml(request.jsonObject(), state, full, stored.get("pk").asInt(), stored);
        reader.throwIfErrors();
        ObjectNode updated = state.replace(state.samlProviders, stored.get("pk").asInt(), reader.values);
        return ApiResponse.ok(views(request).samlProvider(updated));
    }

    private ApiResponse delete(ApiRequest request) {
        state.deleteProvider(find(request).get("pk").asInt());
        return ApiResponse.noContent();
    }

    /** REFERENCE 12.5: public; without an application 2026.2 answers an empty document, 2026.5 a 404. */
    private ApiResponse metadata(ApiRequest request) {
        ObjectNode provider = find(request);
        Optional<String> slug = state.applicationForProvider(provider.get("pk").asInt()).map(app -> app.get("slug").asText());
        String xml;
        if (slug.isEmpty()) {
            if (state.version.samlMetadataNeedsApplication()) {
                throw ApiException.notFound("Application");
            }
            xml = "";
        } else {
            xml = metadataXml(views(request), provider, slug.get());
        }
        if (request.hasQueryParam("download")) {
            return ApiResponse.raw(200, "application/xml", xml, Map.of("Content-Disposition",
                    "attachment; filename=\"" + provider.get("name").asText() + "_authentik_meta.xml\""));
        }
        return ApiResponse.ok(Json.object().put("metadata", xml)
                .put("download_url", request.baseUrl + BASE + provider.get("pk").asInt() + "/metadata/?download"));
    }

    private String metadataXml(Views views, ObjectNode provider, String slug) {
        ObjectNode view = views.samlProvider(provider);
        String issuer = views.samlIssuer(provider, Optional.of(slug));
        String certificate = Optional.ofNullable(Json.text(provider, "signing_kp")).map(state.keyPairs::get)
                .map(key -> key.pem().replaceAll("-----(BEGIN|END) CERTIFICATE-----|\\s", "")).orElse(null);
        StringBuilder xml = new StringBuilder()
                .append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
                .append("<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" entityID=\"")
                .append(issuer).append("\"><md:IDPSSODescriptor protocolSupportEnumeration=\"urn:oasis:names:tc:SAML:2.0:protocol\">");
        if (certificate != null) {
            xml.append("<md:KeyDescriptor use=\"signing\"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>").append(certificate)
                    .append("</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>");
        }
        xml.append("<md:SingleLogoutService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect\" Location=\"")
                .append(view.get("url_slo_redirect").asText()).append("\"/>")
                .append("<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>")
                .append("<md:SingleSignOnService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect\" Location=\"")
                .append(view.get("url_sso_redirect").asText()).append("\"/>")
                .append("<md:SingleSignOnService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST\" Location=\"")
                .append(view.get("url_sso_post").asText()).append("\"/>")
                .append("</md:IDPSSODescriptor></md:EntityDescriptor>");
        return xml.toString();
    }

    /** The assertion's attributes and NameID for a user, each mapping evaluated as in a real login. */
    private ApiResponse previewUser(ApiRequest request) {
        ObjectNode provider = find(request);
        FakeUser user = OAuth2ProviderEndpoints.previewedUser(state, request);
        Map<String, Object> context = Expressions.userContext(user);
        ArrayNode attributes = Json.array();
        for (String mappingPk : Json.strings(provider.get("property_mappings"))) {
            ObjectNode mapping = state.samlMappings.get(mappingPk);
            if (mapping == null) continue;
            state.expressions.evaluate(mapping, context, state.version).ifPresent(result -> attributes.add(Json.object()
                    .put("Name", mapping.get("saml_name").asText())
                    .set("Value", Json.MAPPER.valueToTree(result.get("value")))));
        }
        ObjectNode nameId = Json.object();
        String nameIdMapping = Json.text(provider, "name_id_mapping");
        if (nameIdMapping != null && state.samlMappings.containsKey(nameIdMapping)) {
            nameId.put("Format", "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified");
            state.expressions.evaluate(state.samlMappings.get(nameIdMapping), context, state.version)
                    .ifPresent(result -> nameId.set("Value", Json.MAPPER.valueToTree(result.get("value"))));
        } else {
            String policy = provider.path("default_name_id_policy").asText("urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified");
            nameId.put("Format", policy);
            nameId.put("Value", policy.endsWith(":emailAddress") ? user.email() : user.uid());
        }
        ObjectNode preview = Json.object();
        preview.set("attributes", attributes);
        preview.set("nameID", nameId);
        return ApiResponse.ok(Json.object().set("preview", preview));
    }
}
