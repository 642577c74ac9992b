package dev.chatgptsso.provisioner.chatgpt;

import dev.chatgptsso.provisioner.authentik.AuthentikDtos.ApplicationRequest;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.SamlProvider;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.SamlProviderRequest;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.TransactionalApplicationRequest;
import dev.chatgptsso.provisioner.authentik.MappingKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * What ChatGPT's Custom SAML connection needs in authentik (REFERENCE.md 11.2, 12; field notes):
 * a SAML provider that signs its assertions with an RSA/EC/DSA key, posts the response to the ACS
 * URL, restricts the audience, sends the email as NameID and the attributes ChatGPT reads (email,
 * given name, surname: the last two from mappings this service owns, because authentik's managed
 * SAML mappings have none). Says <em>what</em>; the workflow decides when.
 */
public final class ChatGptSamlRecipe {
    private ChatGptSamlRecipe() {}

    public static final String TEMPORARY_ACS_URL = "https://temp.temp";
    public static final String PROVIDER_MODEL = "authentik_providers_saml.samlprovider";
    public static final String MANAGED_EMAIL = "goauthentik.io/providers/saml/email";
    public static final String GIVEN_NAME_ATTRIBUTE = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname";
    public static final String SURNAME_ATTRIBUTE = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname";
    public static final String EMAIL_NAME_ID_POLICY = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";
    /** Key types authentik can sign SAML with (anything else is refused on save). */
    public static final Set<String> SIGNING_KEY_TYPES = Set.of("rsa", "ec", "dsa");
    /** Explicit validity windows: five minutes of clock skew either way, an eight-hour session. */
    public static final String ASSERTION_VALID_NOT_BEFORE = "minutes=-5";
    public static final String ASSERTION_VALID_NOT_ON_OR_AFTER = "minutes=5";
    public static final String SESSION_VALID_NOT_ON_OR_AFTER = "hours=8";
    public static final String DIGEST_SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256";

    private static final String NAME_PARTS = """
            subject = request.user
            attributes = getattr(subject, "attributes", None)
            if not isinstance(attributes, dict):
                attributes = {}
            username = str(getattr(subject, "username", "") or "")
            full_name = str(getattr(subject, "name", "") or "").strip() or username
            first, _, rest = full_name.partition(" ")
            """;

    /** ChatGPT's first name: attribute {@code given_name}, else the name up to the first space, else the username. Never raises. */
    public static final String GIVEN_NAME_EXPRESSION = "# Managed by chatgpt-sso-provisioner: ChatGPT's first name (SAML givenname).\n"
            + "# Edits are reverted on the next provisioning; change the service instead.\n"
            + NAME_PARTS + "return str(attributes.get(\"given_name\") or first)\n";

    /** ChatGPT's last name: attribute {@code family_name}, else what follows the first space. Never raises. */
    public static final String SURNAME_EXPRESSION = "# Managed by chatgpt-sso-provisioner: ChatGPT's last name (SAML surname).\n"
            + "# Edits are reverted on the next provisioning; change the service instead.\n"
            + NAME_PARTS + "return str(attributes.get(\"family_name\") or rest.strip())\n";

    public static OwnedMapping givenNameMapping(UUID instanceId) {
        return new OwnedMapping("saml-given-name", MappingKind.SAML,
                "ChatGPT SAML given name (chatgpt-sso-provisioner " + instanceId + ")", GIVEN_NAME_ATTRIBUTE, GIVEN_NAME_EXPRESSION, "givenName");
    }

    public static OwnedMapping surnameMapping(UUID instanceId) {
        return new OwnedMapping("saml-surname", MappingKind.SAML,
                "ChatGPT SAML surname (chatgpt-sso-provisioner " + instanceId + ")", SURNAME_ATTRIBUTE, SURNAME_EXPRESSION, "surname");
    }

    /** Provider names are unique across all providers; the integration id makes ours unmistakable. */
    public static String providerName(String slug, UUID integrationId) {
        return "ChatGPT SAML " + slug + " (chatgpt-sso-provisioner " + integrationId + ")";
    }

    public record ProviderInputs(String name, String authorizationFlowPk, String invalidationFlowPk, String signingKeyPk, String signingKeyType,
            String emailMappingPk, List<String> propertyMappingPks) {}

    public static String signatureAlgorithm(String keyType) {
        return switch (keyType == null ? "rsa" : keyType.toLowerCase()) {
            case "ec" -> "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256";
            case "dsa" -> "http://www.w3.org/2000/09/xmldsig#dsa-sha1";
            default -> "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
        };
    }

    public static SamlProviderRequest provider(ProviderInputs in) {
        return new SamlProviderRequest(in.name(), in.authorizationFlowPk(), in.invalidationFlowPk(), in.propertyMappingPks(),
                TEMPORARY_ACS_URL, null, in.emailMappingPk(), EMAIL_NAME_ID_POLICY, in.signingKeyPk(), true, false, "post",
                ASSERTION_VALID_NOT_BEFORE, ASSERTION_VALID_NOT_ON_OR_AFTER, SESSION_VALID_NOT_ON_OR_AFTER, DIGEST_SHA256,
                signatureAlgorithm(in.signingKeyType()));
    }

    public static TransactionalApplicationRequest applicationWithProvider(ChatGptOidcRecipe.ApplicationInputs app, ProviderInputs provider) {
        ApplicationRequest application = new ApplicationRequest(app.name(), app.slug(), null, app.group(), app.policyEngineMode(), true);
        return new TransactionalApplicationRequest(application, PROVIDER_MODEL, provider(provider));
    }

    /** Differences between what was sent and what authentik stored (older versions drop unknown fields silently). */
    public static List<String> storedDifferences(ProviderInputs sent, SamlProvider stored, String expectedAcsUrl, String expectedAudience) {
        List<String> differences = new ArrayList<>();
        compare(differences, "signing_kp", sent.signingKeyPk(), stored.signingKp());
        compare(differences, "sign_assertion", Boolean.TRUE, stored.signAssertion());
        compare(differences, "sp_binding", "post", stored.spBinding());
        compare(differences, "name_id_mapping", sent.emailMappingPk(), stored.nameIdMapping());
        compare(differences, "authorization_flow", sent.authorizationFlowPk(), stored.authorizationFlow());
        compare(differences, "invalidation_flow", sent.invalidationFlowPk(), stored.invalidationFlow());
        compare(differences, "assertion_valid_not_before", ASSERTION_VALID_NOT_BEFORE, stored.assertionValidNotBefore());
        compare(differences, "assertion_valid_not_on_or_after", ASSERTION_VALID_NOT_ON_OR_AFTER, stored.assertionValidNotOnOrAfter());
        compare(differences, "session_valid_not_on_or_after", SESSION_VALID_NOT_ON_OR_AFTER, stored.sessionValidNotOnOrAfter());
        List<String> mappings = stored.propertyMappings() == null ? List.of() : stored.propertyMappings();
        if (!mappings.containsAll(sent.propertyMappingPks()) || mappings.size() != sent.propertyMappingPks().size()) {
            differences.add("property_mappings");
        }
        differences.addAll(finaliseDifferences(stored, expectedAcsUrl, expectedAudience));
        return differences;
    }

    public static List<String> finaliseDifferences(SamlProvider stored, String acsUrl, String audience) {
        List<String> differences = new ArrayList<>();
        compare(differences, "acs_url", acsUrl, stored.acsUrl());
        compare(differences, "audience", audience == null ? "" : audience, stored.audience() == null ? "" : stored.audience());
        return differences;
    }

    public static Map<String, Object> finalisePatch(String acsUrl, String audience) {
        return Map.of("acs_url", acsUrl, "audience", audience);
    }

    private static void compare(List<String> differences, String field, Object expected, Object actual) {
        if (!Objects.equals(expected, actual)) {
            differences.add(field);
        }
    }

    /** What the admin does next, in this order. Testing before finalising fails. */
    public static List<String> nextSteps(String status) {
        if ("active".equals(status)) {
            return List.of("Run ChatGPT's SSO connection test, then enable SSO for the workspace.");
        }
        return List.of(
                "In ChatGPT (Identity & Access > Manage SSO > Custom SAML), enter the Entity ID, Sign-in URL, Sign-out URL and X.509 certificate shown here.",
                "Copy ChatGPT's ACS URL and Audience (SP entity ID) from that wizard.",
                "Call POST /api/v1/tenants/{tenantId}/integrations/{id}/finalise with {\"acsUrl\": \"<ACS URL>\", \"audience\": \"<Audience>\"}.",
                "Only then run ChatGPT's SSO connection test: it fails while the temporary ACS URL https://temp.temp is in place.");
    }
}
