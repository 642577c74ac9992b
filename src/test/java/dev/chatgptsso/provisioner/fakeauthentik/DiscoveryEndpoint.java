package dev.chatgptsso.provisioner.fakeauthentik;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The public OpenID discovery document and JWKS of an application (REFERENCE 10), outside {@code /api/v3}, and
 * the public SAML metadata URL of an application.
 */
final class DiscoveryEndpoint {

    private static final List<String> BASE_CLAIMS = List.of("sub", "iss", "aud", "exp", "iat", "auth_time", "acr", "amr", "nonce");

    private final FakeState state;

    DiscoveryEndpoint(FakeState state) {
        this.state = state;
    }

    void register(Routes routes) {
        routes.add("GET", "/application/o/{slug}/.well-known/openid-configuration", Routes.Access.PUBLIC, this::discovery);
        routes.add("GET", "/application/o/{slug}/jwks/", Routes.Access.PUBLIC, this::jwks);
    }

    private ObjectNode oauth2ProviderOf(String slug) {
        return state.applicationBySlug(slug)
                .filter(app -> app.path("provider").isInt())
                .map(app -> state.oauth2Providers.get(app.get("provider").asInt()))
                .orElseThrow(() -> ApiException.detail(404, "Not found."));
    }

    private ApiResponse discovery(ApiRequest request) {
        String slug = request.pathParam(0);
        ObjectNode provider = oauth2ProviderOf(slug);
        Views views = new Views(state, request.baseUrl);
        String oauth = request.baseUrl + "/application/o/";
        ObjectNode doc = Json.object();
        doc.put("issuer", views.issuer(provider, slug));
        doc.put("authorization_endpoint", oauth + "authorize/");
        doc.put("token_endpoint", oauth + "token/");
        doc.put("userinfo_endpoint", oauth + "userinfo/");
        doc.put("end_session_endpoint", oauth + slug + "/end-session/");
        doc.put("introspection_endpoint", oauth + "introspect/");
        doc.put("revocation_endpoint", oauth + "revoke/");
        doc.put("device_authorization_endpoint", oauth + "device/");
        doc.set("response_types_supported", Json.arrayOf(List.of("code", "id_token", "id_token token", "code token",
                "code id_token", "code id_token token")));
        doc.set("response_modes_supported", Json.arrayOf(List.of("query", "fragment", "form_post")));
        doc.put("jwks_uri", oauth + slug + "/jwks/");
        doc.set("grant_types_supported", Json.arrayOf(List.of("authorization_code", "refresh_token", "implicit",
                "client_credentials", "password", "urn:ietf:params:oauth:grant-type:device_code")));
        doc.set("id_token_signing_alg_values_supported", Json.array().add(signingAlgorithm(provider)));
        doc.set("subject_types_supported", Json.array().add("public"));
        doc.set("token_endpoint_auth_methods_supported", Json.arrayOf(List.of("client_secret_post", "client_secret_basic")));
        doc.set("acr_values_supported", Json.array().add("goauthentik.io/providers/oauth2/default"));
        Set<String> scopes = new LinkedHashSet<>();
        Set<String> claims = new LinkedHashSet<>(BASE_CLAIMS);
        for (String pk : Json.strings(provider.get("property_mappings"))) {
            ObjectNode mapping = state.scopeMappings.get(pk);
            if (mapping == null) continue;
            scopes.add(mapping.get("scope_name").asText());
            // evaluated for the anonymous user; a mapping that fails contributes no claims
            state.expressions.evaluate(mapping, Expressions.anonymous(), state.version).map(Map::keySet).ifPresent(claims::addAll);
        }
        scopes.add("openid");
        doc.set("scopes_supported", Json.arrayOf(new ArrayList<>(scopes)));
        doc.put("request_parameter_supported", false);
        doc.set("claims_supported", Json.arrayOf(new ArrayList<>(claims)));
        doc.put("claims_parameter_supported", false);
        doc.set("code_challenge_methods_supported", Json.arrayOf(List.of("plain", "S256")));
        doc.put("backchannel_logout_supported", true);
        doc.put("backchannel_logout_session_supported", true);
        doc.put("frontchannel_logout_supported", true);
        doc.put("frontchannel_logout_session_supported", true);
        state.discoveryOverrides.forEach(doc::set);
        return ApiResponse.ok(doc);
    }

    private String signingAlgorithm(ObjectNode provider) {
        return Optional.ofNullable(Json.text(provider, "signing_key")).map(state.keyPairs::get)
                .map(key -> key.keyType().equals("ec") ? "ES256" : "RS256").orElse("HS256");
    }

    private ApiResponse jwks(ApiRequest request) {
        ObjectNode provider = oauth2ProviderOf(request.pathParam(0));
        ArrayNode keys = Json.array();
        Optional.ofNullable(Json.text(provider, "signing_key")).map(state.keyPairs::get).ifPresent(key -> keys.add(Json.object()
                .put("kty", key.keyType().equals("ec") ? "EC" : "RSA").put("alg", signingAlgorithm(provider))
                .put("use", "sig").put("kid", key.fingerprintSha256().replace(":", "").substring(0, 32))));
        return ApiResponse.ok(Json.object().set("keys", keys));
    }
}
