package dev.chatgptsso.provisioner.chatgpt;

import dev.chatgptsso.provisioner.authentik.ApiGeneration;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.ApplicationRequest;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.OAuth2Provider;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.OAuth2ProviderRequest;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.RedirectUri;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.TransactionalApplicationRequest;
import dev.chatgptsso.provisioner.authentik.MappingKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * What ChatGPT's Custom OIDC connection needs in authentik (REFERENCE.md 6, 7, 9, 11.1, 13):
 * a profile scope mapping that emits {@code family_name}, a confidential OAuth2 provider signed
 * with an RSA/EC key, and an application. Says <em>what</em> is created; the workflow decides when.
 */
public final class ChatGptOidcRecipe {
    private ChatGptOidcRecipe() {}

    public static final String TEMPORARY_REDIRECT_URI = "https://temp.temp";
    public static final String MANAGED_OPENID = "goauthentik.io/providers/oauth2/scope-openid";
    public static final String MANAGED_EMAIL = "goauthentik.io/providers/oauth2/scope-email";
    public static final String MANAGED_PROFILE = "goauthentik.io/providers/oauth2/scope-profile";
    /** The managed scope mappings a ChatGPT provider carries besides the service's own profile mapping. */
    public static final List<String> MANAGED_SCOPES = List.of(MANAGED_OPENID, MANAGED_EMAIL);
    public static final String PROVIDER_MODEL = "authentik_providers_oauth2.oauth2provider";
    /** ChatGPT uses the authorization code flow only; nothing else is enabled (least privilege). */
    public static final List<String> GRANT_TYPES = List.of("authorization_code");
    /** Key types authentik can sign OIDC tokens with (anything else fails only at login time). */
    public static final List<String> SIGNING_KEY_TYPES = List.of("rsa", "ec");

    /**
     * The profile claims ChatGPT reads: {@code name}, {@code given_name}, {@code family_name},
     * {@code preferred_username}. User attributes win; otherwise the full name is split once at
     * the first space; an empty name falls back to the username. It must never raise: the
     * discovery document evaluates it for the anonymous user.
     */
    public static final String PROFILE_MAPPING_EXPRESSION = """
            # Managed by chatgpt-sso-provisioner: ChatGPT profile claims incl. family_name.
            # Edits are reverted on the next provisioning; change the service instead.
            subject = request.user
            attributes = getattr(subject, "attributes", None)
            if not isinstance(attributes, dict):
                attributes = {}
            username = str(getattr(subject, "username", "") or "")
            full_name = str(getattr(subject, "name", "") or "").strip() or username
            first, _, rest = full_name.partition(" ")
            return {
                "name": full_name,
                "given_name": str(attributes.get("given_name") or first),
                "family_name": str(attributes.get("family_name") or rest.strip()),
                "preferred_username": username,
            }
            """;

    public static final String PROFILE_MAPPING_DESCRIPTION = "General Profile Information";

    /**
     * Mapping names are unique across the whole authentik instance; the instance id in the name
     * keeps ours apart from anything an admin made by hand.
     */
    public static String profileMappingName(UUID instanceId) {
        return "ChatGPT profile (chatgpt-sso-provisioner " + instanceId + ")";
    }

    public static OwnedMapping profileMapping(UUID instanceId) {
        return new OwnedMapping("oidc-profile", MappingKind.SCOPE, profileMappingName(instanceId), "profile", PROFILE_MAPPING_EXPRESSION,
                PROFILE_MAPPING_DESCRIPTION);
    }

    /** Provider names are unique across all providers; the integration id makes ours unmistakable. */
    public static String providerName(String slug, UUID integrationId) {
        return "ChatGPT " + slug + " (chatgpt-sso-provisioner " + integrationId + ")";
    }

    public static List<RedirectUri> redirectUris(ApiGeneration generation, String url) {
        return List.of(new RedirectUri("strict", url, generation.hasRedirectUriTypes() ? "authorization" : null));
    }

    public record ProviderInputs(String name, String authorizationFlowPk, String invalidationFlowPk, String signingKeyPk,
            List<String> propertyMappingPks, String clientId, String clientSecret) {
        @Override
        public String toString() {
            return "ProviderInputs[name=" + name + ", clientId=" + clientId + ", clientSecret=***]";
        }
    }

    public record ApplicationInputs(String name, String slug, String group, String policyEngineMode) {}

    public static OAuth2ProviderRequest provider(ApiGeneration generation, ProviderInputs in) {
        return new OAuth2ProviderRequest(in.name(), in.authorizationFlowPk(), in.invalidationFlowPk(), in.propertyMappingPks(),
                "confidential", generation.requiresGrantTypes() ? GRANT_TYPES : null, in.clientId(), in.clientSecret(), true,
                in.signingKeyPk(), redirectUris(generation, TEMPORARY_REDIRECT_URI), "per_provider", "hashed_user_id");
    }

    public static TransactionalApplicationRequest applicationWithProvider(ApiGeneration generation, ApplicationInputs app, ProviderInputs provider) {
        ApplicationRequest application = new ApplicationRequest(app.name(), app.slug(), null, app.group(), app.policyEngineMode(), true);
        return new TransactionalApplicationRequest(application, PROVIDER_MODEL, provider(generation, provider));
    }

    /**
     * Differences between what was sent and what authentik stored, field by field. Older versions
     * drop unknown fields silently, so this is how a wrong version guess shows up.
     */
    public static List<String> storedDifferences(ApiGeneration generation, ProviderInputs sent, OAuth2Provider stored, String expectedRedirectUri) {
        List<String> differences = new ArrayList<>();
        compare(differences, "client_type", "confidential", stored.clientType());
        compare(differences, "client_id", sent.clientId(), stored.clientId());
        compare(differences, "signing_key", sent.signingKeyPk(), stored.signingKey());
        compare(differences, "authorization_flow", sent.authorizationFlowPk(), stored.authorizationFlow());
        compare(differences, "invalidation_flow", sent.invalidationFlowPk(), stored.invalidationFlow());
        compare(differences, "include_claims_in_id_token", Boolean.TRUE, stored.includeClaimsInIdToken());
        compare(differences, "issuer_mode", "per_provider", stored.issuerMode());
        List<String> mappings = stored.propertyMappings() == null ? List.of() : stored.propertyMappings();
        if (!mappings.containsAll(sent.propertyMappingPks()) || mappings.size() != sent.propertyMappingPks().size()) {
            differences.add("property_mappings");
        }
        if (generation.requiresGrantTypes() && (stored.grantTypes() == null || !stored.grantTypes().contains("authorization_code"))) {
            differences.add("grant_types");
        }
        differences.addAll(redirectDifferences(generation, stored, expectedRedirectUri));
        return differences;
    }

    /** Whether the stored redirect list is exactly the one URI, strict, typed authorization where types exist. */
    public static List<String> redirectDifferences(ApiGeneration generation, OAuth2Provider stored, String expectedUri) {
        List<RedirectUri> uris = stored.redirectUris() == null ? List.of() : stored.redirectUris();
        if (uris.size() != 1) {
            return List.of("redirect_uris");
        }
        RedirectUri only = uris.get(0);
        boolean typeOk = !generation.hasRedirectUriTypes() || "authorization".equals(only.redirectUriType());
        return "strict".equals(only.matchingMode()) && expectedUri.equals(only.url()) && typeOk ? List.of() : List.of("redirect_uris");
    }

    private static void compare(List<String> differences, String field, Object expected, Object actual) {
        if (!Objects.equals(expected, actual)) {
            differences.add(field);
        }
    }

    /** The issuer of a per-provider OIDC provider: {@code https://HOST/application/o/<slug>/} (REFERENCE 7.6, 9.3). */
    public static String issuer(String instanceBaseUrl, String slug) {
        return instanceBaseUrl + "/application/o/" + slug + "/";
    }

    public static String discoveryEndpoint(String instanceBaseUrl, String slug) {
        return issuer(instanceBaseUrl, slug) + ".well-known/openid-configuration";
    }

    /** What the admin does next, in this order. Testing before finalising fails and can lock the workspace out. */
    public static List<String> nextSteps(String status) {
        if ("active".equals(status)) {
            return List.of("Run ChatGPT's SSO connection test, then enable SSO for the workspace.");
        }
        return List.of(
                "In ChatGPT (Identity & Access > Manage SSO > Custom OIDC), enter the Client ID, Client Secret and Discovery endpoint shown here; confirm the claims sub, email, given_name and family_name.",
                "Copy ChatGPT's Login redirect URI from that wizard.",
                "Call POST /api/v1/tenants/{tenantId}/integrations/{id}/finalise with {\"loginRedirectUri\": \"<that URI>\"}.",
                "Only then run ChatGPT's SSO connection test: it fails while the temporary redirect URI https://temp.temp is in place.");
    }
}
