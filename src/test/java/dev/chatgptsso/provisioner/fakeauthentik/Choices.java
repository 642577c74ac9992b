package dev.chatgptsso.provisioner.fakeauthentik;

import java.util.ArrayList;
import java.util.List;

/** Enum values of authentik's serializers (the *Enum components of the OpenAPI schema). */
final class Choices {

    static final List<String> CLIENT_TYPES = List.of("confidential", "public");
    static final List<String> MATCHING_MODES = List.of("strict", "regex");
    static final List<String> REDIRECT_URI_TYPES = List.of("authorization", "logout");
    static final List<String> SUB_MODES =
            List.of("hashed_user_id", "user_id", "user_uuid", "user_username", "user_email", "user_upn");
    static final List<String> ISSUER_MODES = List.of("global", "per_provider");
    static final List<String> OAUTH2_LOGOUT_METHODS = List.of("backchannel", "frontchannel");
    static final List<String> POLICY_ENGINE_MODES = List.of("all", "any");
    static final List<String> SAML_BINDINGS = List.of("redirect", "post");
    static final List<String> SAML_LOGOUT_METHODS = List.of("frontchannel_iframe", "frontchannel_native", "backchannel");
    static final List<String> DIGEST_ALGORITHMS = List.of(
            "http://www.w3.org/2000/09/xmldsig#sha1", "http://www.w3.org/2001/04/xmlenc#sha256",
            "http://www.w3.org/2001/04/xmldsig-more#sha384", "http://www.w3.org/2001/04/xmlenc#sha512");
    static final List<String> SIGNATURE_ALGORITHMS = List.of(
            "http://www.w3.org/2000/09/xmldsig#rsa-sha1", "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
            "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384", "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
            "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha1", "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
            "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384", "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512",
            "http://www.w3.org/2000/09/xmldsig#dsa-sha1");
    static final List<String> NAME_ID_POLICIES = List.of(
            "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress", "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent",
            "urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName",
            "urn:oasis:names:tc:SAML:2.0:nameid-format:WindowsDomainQualifiedName",
            "urn:oasis:names:tc:SAML:2.0:nameid-format:transient", "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified");
    static final List<String> RESERVED_APPLICATION_SLUGS =
            List.of("authorize", "token", "device", "userinfo", "introspect", "revoke");

    static final String PROVIDER_MODEL_OAUTH2 = "authentik_providers_oauth2.oauth2provider";
    static final String PROVIDER_MODEL_SAML = "authentik_providers_saml.samlprovider";

    private Choices() {
    }

    /** GrantTypesEnum (2026.5); 2026.8 renamed it GrantTypeEnum and added token exchange. */
    static List<String> grantTypes(AuthentikVersion version) {
        List<String> types = new ArrayList<>(List.of("authorization_code", "implicit", "hybrid", "refresh_token",
                "client_credentials", "password", "urn:ietf:params:oauth:grant-type:device_code"));
        if (version.hasTokenExchangeGrant()) {
            types.add("urn:ietf:params:oauth:grant-type:token-exchange");
        }
        return types;
    }
}
