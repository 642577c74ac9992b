package dev.chatgptsso.provisioner.fakeauthentik;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code providers/oauth2/} (REFERENCE 6.5, 7): CRUD, setup URLs, token preview and dependants. */
final class OAuth2ProviderEndpoints {

    private static final String BASE = "/api/v3/providers/oauth2/";

    private final FakeState state;

    OAuth2ProviderEndpoints(FakeState state) {
        this.state = state;
    }

    void register(Routes routes) {
        routes.add("GET", BASE, Routes.Access.LIST, this::list);
        routes.add("POST", BASE, Routes.Access.WRITE, this::create);
        routes.add("GET", BASE + "{id}/", Routes.Access.DETAIL, request -> ApiResponse.ok(views(request).oauth2Provider(find(request))));
        routes.add("PUT", BASE + "{id}/", Routes.Access.WRITE, request -> update(request, true));
        routes.add("PATCH", BASE + "{id}/", Routes.Access.WRITE, request -> update(request, false));
        routes.add("DELETE", BASE + "{id}/", Routes.Access.WRITE, this::delete);
        // the view checks authentication only, not object permissions (REFERENCE 1.2)
        routes.add("GET", BASE + "{id}/setup_urls/", Routes.Access.AUTHENTICATED,
                request -> ApiResponse.ok(views(request).setupUrls(find(request))));
        routes.add("GET", BASE + "{id}/preview_user/", Routes.Access.DETAIL, this::previewUser);
        routes.add("GET", BASE + "{id}/used_by/", Routes.Access.DETAIL, request -> usedBy(state, find(request)));
    }

    private Views views(ApiRequest request) {
        return new Views(state, request.baseUrl);
    }

    private ObjectNode find(ApiRequest request) {
        String id = request.pathParam(0);
        ObjectNode provider = id.matches("\\d{1,9}") ? state.oauth2Providers.get(Integer.parseInt(id)) : null;
        if (provider == null) {
            throw ApiException.notFound("OAuth2/OpenID Provider");
        }
        return provider;
    }

    private ApiResponse list(ApiRequest request) {
        Views views = views(request);
        List<ObjectNode> all = state.oauth2Providers.candidates(request, "client_id", "name").stream()
                .filter(stored -> Listing.candidate(request, stored, "name", "client_id")).map(views::oauth2Provider).toList();
        String application = request.queryParam("application");
        return ApiResponse.ok(Listing.of(request, all)
                .exact("name", "client_id", "authorization_flow", "client_type", "signing_key", "issuer_mode", "sub_mode",
                        "access_code_validity", "access_token_validity", "refresh_token_validity")
                .bool("include_claims_in_id_token", "include_claims_in_id_token")
                .containsAny("property_mappings", "property_mappings")
                .where(p -> application == null || state.applicationForProvider(p.get("pk").asInt())
                        .map(app -> app.get("pk").asText().equals(application)).orElse(false))
                .search("name")
                .order("name")
                .page(state.version));
    }

    private ApiResponse create(ApiRequest request) {
        FieldReader reader = ProviderFields.oauth2(request.jsonObject(), state, true, null);
        reader.throwIfErrors();
        ObjectNode stored = reader.values;
        ProviderFields.oauth2CreateDefaults(stored);
        int pk = state.allocateProviderPk();
        stored.put("pk", pk);
        state.oauth2Providers.put(pk, stored);
        return ApiResponse.created(views(request).oauth2Provider(stored));
    }

    private ApiResponse update(ApiRequest request, boolean full) {
        ObjectNode stored = find(request);
        FieldReader reader = ProviderFields.oauth2(request.jsonObject(), state, full, stored.get("pk").asInt());
        reader.throwIfErrors();
        ObjectNode updated = state.replace(state.oauth2Providers, stored.get("pk").asInt(), reader.values);
        return ApiResponse.ok(views(request).oauth2Provider(updated));
    }

    private ApiResponse delete(ApiRequest request) {
        state.deleteProvider(find(request).get("pk").asInt());
        return ApiResponse.noContent();
    }

    /** REFERENCE 6.5: the ID token the provider would issue, with every attached scope mapping evaluated. */
    private ApiResponse previewUser(ApiRequest request) {
        ObjectNode provider = find(request);
        FakeUser user = previewedUser(state, request);
        Views views = views(request);
        Map<String, Object> claims = new LinkedHashMap<>();
        String slug = state.applicationForProvider(provider.get("pk").asInt()).map(app -> app.get("slug").asText()).orElse(null);
        claims.put("iss", slug == null ? request.baseUrl + "/application/o/None/" : views.issuer(provider, slug));
        claims.put("sub", subject(provider, user));
        claims.put("aud", Json.text(provider, "client_id"));
        List<Map<String, Object>> parts = new ArrayList<>();
        for (String mappingPk : Json.strings(provider.get("property_mappings"))) {
            ObjectNode mapping = state.scopeMappings.get(mappingPk);
            if (mapping != null) {
                state.expressions.evaluate(mapping, Expressions.userContext(user), state.version).ifPresent(parts::add);
            }
        }
        claims.putAll(PropertyMappingEndpoints.merge(parts));
        return ApiResponse.ok(Json.object().set("preview", Json.MAPPER.valueToTree(claims)));
    }

    /** {@code ?for_user=<pk>}, else the token's own user; an unknown user is authentik's 400. */
    static FakeUser previewedUser(FakeState state, ApiRequest request) {
        String forUser = request.queryParam("for_user");
        if (forUser == null) {
            return request.user;
        }
        Optional<FakeUser> found = forUser.matches("\\d{1,9}") ? state.user(Integer.parseInt(forUser)) : Optional.empty();
        return found.orElseThrow(() -> ApiException.badRequest(Json.object().set("for_user", Json.array().add("User not found"))));
    }

    private static String subject(ObjectNode provider, FakeUser user) {
        return switch (provider.path("sub_mode").asText("hashed_user_id")) {
            case "user_id" -> Integer.toString(user.pk());
            case "user_uuid" -> user.uuid();
            case "user_username" -> user.username();
            case "user_email", "user_upn" -> user.email();
            default -> user.uid();
        };
    }

    /** Deleting a provider leaves its application with {@code provider: null}. */
    static ApiResponse usedBy(FakeState state, ObjectNode provider) {
        ArrayNode uses = Json.array();
        state.applicationForProvider(provider.get("pk").asInt()).ifPresent(app -> uses.add(Json.object()
                .put("app", "authentik_core").put("model_name", "application").put("pk", app.get("pk").asText())
                .put("name", app.get("name").asText()).put("action", "set_null")));
        return ApiResponse.ok(uses);
    }
}
