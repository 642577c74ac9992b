package dev.chatgptsso.provisioner.fakeauthentik;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.LinkedHashMap;

/**
 * The writable fields of each object type for a given version, in the schema's order, with authentik's
 * server-side defaults. A field missing here for a version is unknown to that version: dropped on write,
 * absent on read.
 */
final class Defaults {

    /** Sentinel for required fields that have no default. */
    static final JsonNode NO_DEFAULT = NullNode.getInstance();

    private Defaults() {
    }

    static LinkedHashMap<String, JsonNode> oauth2Provider(AuthentikVersion version) {
        LinkedHashMap<String, JsonNode> fields = providerHead();
        fields.put("client_type", text("confidential"));
        if (version.hasRedirectUriTypeAndGrantTypes()) {
            // the 2026.5 branch point stores [] when the field is omitted (REFERENCE 7.4)
            fields.put("grant_types", Json.array());
        }
        fields.put("client_id", NO_DEFAULT);
        fields.put("client_secret", NO_DEFAULT);
        fields.put("access_code_validity", text("minutes=1"));
        fields.put("access_token_validity", text("hours=1"));
        fields.put("refresh_token_validity", text("days=30"));
        if (version.hasLogoutUri()) {
            fields.put("refresh_token_threshold", text("seconds=0"));
        }
        fields.put("include_claims_in_id_token", BooleanNode.TRUE);
        fields.put("signing_key", NullNode.getInstance());
        fields.put("encryption_key", NullNode.getInstance());
        fields.put("redirect_uris", Json.array());
        if (version.hasLogoutUri()) {
            fields.put("logout_uri", text(""));
            fields.put("logout_method", text("backchannel"));
        }
        if (version.hasBackchannelLogoutUri()) {
            fields.put("backchannel_logout_uri", text(""));
        }
        fields.put("sub_mode", text("hashed_user_id"));
        fields.put("issuer_mode", text("per_provider"));
        fields.put("jwt_federation_sources", Json.array());
        fields.put("jwt_federation_providers", Json.array());
        return fields;
    }

    static LinkedHashMap<String, JsonNode> samlProvider(AuthentikVersion version) {
        LinkedHashMap<String, JsonNode> fields = providerHead();
        fields.put("acs_url", NO_DEFAULT);
        if (version.hasSamlSingleLogout()) {
            fields.put("sls_url", text(""));
        }
        fields.put("audience", text(""));
        if (version.hasSamlIssuerOverride()) {
            fields.put("issuer_override", text(""));
        } else {
            fields.put("issuer", text("authentik"));
        }
        fields.put("assertion_valid_not_before", text("minutes=-5"));
        fields.put("assertion_valid_not_on_or_after", text("minutes=5"));
        fields.put("session_valid_not_on_or_after", text("minutes=86400"));
        fields.put("name_id_mapping", NullNode.getInstance());
        if (version.hasSamlAuthnContextMapping()) {
            fields.put("authn_context_class_ref_mapping", NullNode.getInstance());
        }
        fields.put("digest_algorithm", text("http://www.w3.org/2001/04/xmlenc#sha256"));
        fields.put("signature_algorithm", text("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"));
        fields.put("signing_kp", NullNode.getInstance());
        fields.put("verification_kp", NullNode.getInstance());
        fields.put("encryption_kp", NullNode.getInstance());
        fields.put("sign_assertion", BooleanNode.TRUE);
        fields.put("sign_response", BooleanNode.FALSE);
        if (version.hasSamlSingleLogout()) {
            fields.put("sign_logout_request", BooleanNode.FALSE);
        }
        if (version.hasSamlSignLogoutResponse()) {
            fields.put("sign_logout_response", BooleanNode.FALSE);
        }
        fields.put("sp_binding", text("redirect"));
        if (version.hasSamlSingleLogout()) {
            fields.put("sls_binding", text("redirect"));
            fields.put("logout_method", text("frontchannel_iframe"));
        }
        fields.put("default_relay_state", text(""));
        if (version.hasSamlDefaultNameIdPolicy()) {
            fields.put("default_name_id_policy", text("urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"));
        }
        return fields;
    }

    private static LinkedHashMap<String, JsonNode> providerHead() {
        LinkedHashMap<String, JsonNode> fields = new LinkedHashMap<>();
        fields.put("name", NO_DEFAULT);
        fields.put("authentication_flow", NullNode.getInstance());
        fields.put("authorization_flow", NO_DEFAULT);
        fields.put("invalidation_flow", NO_DEFAULT);
        fields.put("property_mappings", Json.array());
        return fields;
    }

    static LinkedHashMap<String, JsonNode> application(AuthentikVersion version) {
        LinkedHashMap<String, JsonNode> fields = new LinkedHashMap<>();
        fields.put("name", NO_DEFAULT);
        fields.put("slug", NO_DEFAULT);
        fields.put("provider", NullNode.getInstance());
        fields.put("backchannel_providers", Json.array());
        fields.put("open_in_new_tab", BooleanNode.FALSE);
        fields.put("meta_launch_url", text(""));
        if (version.hasWritableMetaIcon()) {
            fields.put("meta_icon", text(""));
        }
        fields.put("meta_description", text(""));
        fields.put("meta_publisher", text(""));
        fields.put("policy_engine_mode", text("any"));
        fields.put("group", text(""));
        if (version.hasMetaHide()) {
            fields.put("meta_hide", BooleanNode.FALSE);
        }
        return fields;
    }

    private static JsonNode text(String value) {
        return TextNode.valueOf(value);
    }
}
