package dev.chatgptsso.provisioner.fakeauthentik;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.security.SecureRandom;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The OAuth2Provider and SAMLProvider serializers of the running version (REFERENCE 7.2, 7.3, 12.2): which
 * fields exist, how each is validated, and authentik's server-side defaults. Shared by the provider endpoints
 * and the transactional endpoint.
 */
final class ProviderFields {

    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private ProviderFields() {
    }

    static String randomAlphanumeric(int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) out.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
        return out.toString();
    }

    /** Reads the fields every provider type has; {@code exceptPk} is the provider being updated (null on create). */
    private static void head(FieldReader reader, FakeState state, Integer exceptPk) {
        reader.string("name", true, false, 0);
        if (reader.values.has("name") && state.providerNameTaken(reader.values.get("name").asText(), exceptPk)) {
            reader.error("name", "provider with this name already exists.");
        }
        reader.uuidReference("authentication_flow", false, true, state.flows::containsKey);
        reader.uuidReference("authorization_flow", true, false, state.flows::containsKey);
        reader.uuidReference("invalidation_flow", true, false, state.flows::containsKey);
        reader.uuidReferenceList("property_mappings", state::propertyMappingExists);
    }

    /** Validates an OAuth2 provider body; throws authentik's 400 on the first invalid field set. */
    static FieldReader oauth2(ObjectNode input, FakeState state, boolean enforceRequired, Integer exceptPk) {
        AuthentikVersion version = state.version;
        FieldReader reader = new FieldReader(input, enforceRequired);
        head(reader, state, exceptPk);
        reader.choice("client_type", false, Choices.CLIENT_TYPES);
        if (version.hasRedirectUriTypeAndGrantTypes()) {
            reader.choiceList("grant_types", Choices.grantTypes(version));
        }
        reader.string("client_id", false, false, 255);
        if (reader.values.has("client_id") && clientIdTaken(state, reader.values.get("client_id").asText(), exceptPk)) {
            reader.error("client_id", "OAuth2/OpenID Provider with this Client ID already exists.");
        }
        reader.string("client_secret", false, true, 255);
        if (reader.values.hasNonNull("client_secret")) SecretRegistry.record(reader.values.get("client_secret").asText());
        for (String duration : new String[]{"access_code_validity", "access_token_validity", "refresh_token_validity"}) {
            reader.duration(duration);
        }
        if (version.hasLogoutUri()) {
            reader.duration("refresh_token_threshold");
            reader.url("logout_uri", false, true);
            reader.choice("logout_method", false, Choices.OAUTH2_LOGOUT_METHODS);
        }
        if (version.hasBackchannelLogoutUri()) {
            reader.url("backchannel_logout_uri", false, true);
        }
        reader.bool("include_claims_in_id_token");
        reader.uuidReference("signing_key", false, true, state.keyPairs::containsKey);
        reader.uuidReference("encryption_key", false, true, state.keyPairs::containsKey);
        redirectUris(reader, version, enforceRequired);
        reader.choice("sub_mode", false, Choices.SUB_MODES);
        reader.choice("issuer_mode", false, Choices.ISSUER_MODES);
        reader.uuidReferenceList("jwt_federation_sources", pk -> false);
        reader.intReferenceList("jwt_federation_providers", state.oauth2Providers::containsKey);
        return reader;
    }

    private static boolean clientIdTaken(FakeState state, String clientId, Integer exceptPk) {
        return state.oauth2Providers.having("client_id", clientId).stream().anyMatch(p -> clientId.equals(Json.text(p, "client_id"))
                && (exceptPk == null || p.get("pk").asInt() != exceptPk));
    }

    /** REFERENCE 7.3: a list of {matching_mode, url[, redirect_uri_type]}; PATCH replaces the whole list. */
    private static void redirectUris(FieldReader reader, AuthentikVersion version, boolean enforceRequired) {
        JsonNode value = reader.raw("redirect_uris");
        if (value == null) {
            if (enforceRequired) reader.error("redirect_uris", FieldReader.REQUIRED);
            return;
        }
        if (value.isNull()) {
            reader.error("redirect_uris", FieldReader.NOT_NULL);
            return;
        }
        if (!value.isArray()) {
            reader.error("redirect_uris", FieldReader.notAList(value));
            return;
        }
        ArrayNode stored = Json.array();
        ArrayNode perItem = Json.array();
        boolean itemErrors = false;
        for (JsonNode item : value) {
            ObjectNode errors = Json.object();
            if (!item.isObject()) {
                errors.set("non_field_errors", Json.array().add("Invalid data. Expected a dictionary, but got "
                        + Json.pythonType(item) + "."));
                perItem.add(errors);
                itemErrors = true;
                continue;
            }
            FieldReader entry = new FieldReader((ObjectNode) item, true);
            entry.choice("matching_mode", true, Choices.MATCHING_MODES);
            entry.string("url", true, false, 0);
            if (version.hasRedirectUriTypeAndGrantTypes()) {
                entry.choice("redirect_uri_type", false, Choices.REDIRECT_URI_TYPES);
                if (!entry.values.has("redirect_uri_type")) entry.values.put("redirect_uri_type", "authorization");
            }
            perItem.add(entry.errors);
            itemErrors |= entry.hasErrors();
            stored.add(entry.values);
        }
        if (itemErrors) {
            reader.errorDetail("redirect_uris", perItem);
            return;
        }
        for (JsonNode entry : stored) {
            if ("regex".equals(entry.path("matching_mode").asText()) && !compiles(entry.path("url").asText())) {
                reader.error("redirect_uris", "Invalid Regex Pattern: " + entry.path("url").asText());
                return;
            }
        }
        reader.values.set("redirect_uris", stored);
    }

    private static boolean compiles(String regex) {
        try {
            Pattern.compile(regex);
            return true;
        } catch (PatternSyntaxException e) {
            return false;
        }
    }

    /** Server-side values a new OAuth2 provider gets for what the request left out. */
    static void oauth2CreateDefaults(ObjectNode values) {
        if (!values.has("client_id")) values.put("client_id", randomAlphanumeric(40));
        if (!values.has("client_secret")) values.put("client_secret", randomAlphanumeric(128));
        SecretRegistry.record(Json.text(values, "client_secret"));
    }

    private static final Set<String> SAML_SIGNING_KEY_TYPES = Set.of("rsa", "ec", "dsa");

    /** Validates a SAML provider body (REFERENCE 12.2), including the cross-field signing check. */
    static FieldReader saml(ObjectNode input, FakeState state, boolean enforceRequired, Integer exceptPk, ObjectNode current) {
        AuthentikVersion version = state.version;
        FieldReader reader = new FieldReader(input, enforceRequired);
        head(reader, state, exceptPk);
        reader.url("acs_url", true, false);
        if (version.hasSamlSingleLogout()) {
            reader.url("sls_url", false, true);
            reader.choice("sls_binding", false, Choices.SAML_BINDINGS);
            reader.choice("logout_method", false, Choices.SAML_LOGOUT_METHODS);
            reader.bool("sign_logout_request");
        }
        if (version.hasSamlSignLogoutResponse()) {
            reader.bool("sign_logout_response");
        }
        reader.string("audience", false, true, 0);
        reader.string(version.hasSamlIssuerOverride() ? "issuer_override" : "issuer", false, true, 0);
        for (String duration : new String[]{"assertion_valid_not_before", "assertion_valid_not_on_or_after",
                "session_valid_not_on_or_after"}) {
            reader.duration(duration);
        }
        reader.uuidReference("name_id_mapping", false, true, state.samlMappings::containsKey);
        if (version.hasSamlAuthnContextMapping()) {
            reader.uuidReference("authn_context_class_ref_mapping", false, true, state.samlMappings::containsKey);
        }
        reader.choice("digest_algorithm", false, Choices.DIGEST_ALGORITHMS);
        reader.choice("signature_algorithm", false, Choices.SIGNATURE_ALGORITHMS);
        reader.uuidReference("signing_kp", false, true, state.keyPairs::containsKey);
        reader.uuidReference("verification_kp", false, true, state.keyPairs::containsKey);
        reader.uuidReference("encryption_kp", false, true, state.keyPairs::containsKey);
        reader.bool("sign_assertion");
        reader.bool("sign_response");
        reader.choice("sp_binding", false, Choices.SAML_BINDINGS);
        reader.string("default_relay_state", false, true, 0);
        if (version.hasSamlDefaultNameIdPolicy()) {
            reader.choice("default_name_id_policy", false, Choices.NAME_ID_POLICIES);
        }
        if (reader.values.hasNonNull("signing_kp")) {
            KeyPairEntry key = state.keyPairs.get(reader.values.get("signing_kp").asText());
            if (!SAML_SIGNING_KEY_TYPES.contains(key.keyType())) {
                reader.error("signing_kp", "Only RSA, EC, and DSA key types are supported for SAML signing.");
            }
        }
        if (!reader.hasErrors()) {
            ObjectNode effective = current == null ? Json.object() : current.deepCopy();
            effective.setAll(reader.values);
            boolean signingKey = effective.hasNonNull("signing_kp");
            boolean signAssertion = effective.path("sign_assertion").asBoolean(true);
            boolean signResponse = effective.path("sign_response").asBoolean(false);
            if (signingKey && !signAssertion && !signResponse) {
                reader.error("non_field_errors", "With a signing keypair selected, at least one of 'Sign assertion' and "
                        + "'Sign Response' must be selected.");
            }
        }
        return reader;
    }
}
