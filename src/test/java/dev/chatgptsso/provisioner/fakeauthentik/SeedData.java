package dev.chatgptsso.provisioner.fakeauthentik;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** What a fresh authentik holds (default blueprints); identical after every reset, stable pks. */
final class SeedData {

    static final String ADMIN_GROUP_NAME = "authentik Admins";

    /** Generated once per JVM: RSA key generation is slow-ish and the PEMs should stay stable across resets. */
    private static volatile List<KeyPairEntry> keyPairs;

    private SeedData() {
    }

    static String stableUuid(String seed) {
        return UUID.nameUUIDFromBytes(("fakeauthentik:" + seed).getBytes(StandardCharsets.UTF_8)).toString();
    }

    static List<FakeUser> users() {
        return List.of(
                new FakeUser(1, "akadmin", "authentik Default Admin", "root@localhost", true,
                        FakeAuthentik.ADMIN_TOKEN, Map.of()),
                new FakeUser(2, "limited", "Limited Automation", "limited@example.com", false,
                        FakeAuthentik.LIMITED_TOKEN, Map.of()),
                new FakeUser(3, "ada", "Ada Lovelace", "ada@example.com", false, null, Map.of()));
    }

    static List<ObjectNode> flows() {
        List<ObjectNode> flows = new ArrayList<>();
        flows.add(flow("default-provider-authorization-implicit-consent", "Authorize Application",
                "Redirecting to %(app)s", "authorization", "require_authenticated"));
        flows.add(flow("default-provider-authorization-explicit-consent", "Authorize Application",
                "Redirecting to %(app)s", "authorization", "require_authenticated"));
        flows.add(flow("default-provider-invalidation-flow", "Logged out of application",
                "You've logged out of %(app)s.", "invalidation", "none"));
        flows.add(flow("default-invalidation-flow", "Default Invalidation Flow",
                "Default Invalidation Flow", "invalidation", "none"));
        flows.add(flow("default-authentication-flow", "Welcome to authentik!",
                "Welcome to authentik!", "authentication", "none"));
        return flows;
    }

    private static ObjectNode flow(String slug, String name, String title, String designation, String authentication) {
        String pk = stableUuid("flow:" + slug);
        ObjectNode flow = Json.object();
        flow.put("pk", pk);
        flow.put("policybindingmodel_ptr_id", pk);
        flow.put("name", name);
        flow.put("slug", slug);
        flow.put("title", title);
        flow.put("designation", designation);
        flow.put("background", "");
        flow.put("background_url", "/static/dist/assets/images/flow_background.jpg");
        flow.putNull("background_themed_urls");
        flow.set("stages", Json.array());
        flow.set("policies", Json.array());
        flow.put("cache_count", 0);
        flow.put("policy_engine_mode", "any");
        flow.put("compatibility_mode", false);
        flow.put("export_url", "/api/v3/flows/instances/" + slug + "/export/");
        flow.put("layout", "stacked");
        flow.put("denied_action", "message_continue");
        flow.put("authentication", authentication);
        return flow;
    }

    static List<KeyPairEntry> keyPairs() {
        List<KeyPairEntry> result = keyPairs;
        if (result == null) {
            synchronized (SeedData.class) {
                if (keyPairs == null) {
                    keyPairs = List.of(
                            keyPair("authentik Self-signed Certificate", "rsa", true, null),
                            keyPair("authentik Internal JWT Certificate", "rsa", true, "goauthentik.io/crypto/jwt-managed"),
                            keyPair("ed25519-only", "ed25519", true, null),
                            keyPair("cert-without-key", "rsa", false, null));
                }
                result = keyPairs;
            }
        }
        return result;
    }

    private static KeyPairEntry keyPair(String name, String keyType, boolean withKey, String managed) {
        CertificateGenerator.Generated cert = CertificateGenerator.generate(name, keyType, Duration.ofDays(365));
        return new KeyPairEntry(stableUuid("keypair:" + name), name, keyType, withKey, managed, cert.pem(),
                cert.fingerprintSha256(), cert.fingerprintSha1(), cert.notAfter(), cert.subject());
    }

    /** Managed scope mappings (REFERENCE 6.2), stored fields only. */
    static List<ObjectNode> scopeMappings(AuthentikVersion version) {
        String emailVerified = version.emailVerifiedIsFalse() ? "False" : "True";
        return List.of(
                scopeMapping("goauthentik.io/providers/oauth2/scope-openid", "authentik default OAuth Mapping: OpenID 'openid'",
                        "openid", "", "# This scope is handled by authentik\nreturn {}"),
                scopeMapping("goauthentik.io/providers/oauth2/scope-email", "authentik default OAuth Mapping: OpenID 'email'",
                        "email", "Email address",
                        "return {\n    \"email\": request.user.email,\n    \"email_verified\": " + emailVerified + "\n}"),
                scopeMapping("goauthentik.io/providers/oauth2/scope-profile", "authentik default OAuth Mapping: OpenID 'profile'",
                        "profile", "General Profile Information",
                        "return {\n    # Because authentik only saves the user's full name, and has no concept of first and last names,\n"
                                + "    # the full name is used as given name.\n"
                                + "    # You can override this behaviour in custom mappings, i.e. `request.user.name.split(\" \")`\n"
                                + "    \"name\": request.user.name,\n    \"given_name\": request.user.name,\n"
                                + "    \"preferred_username\": request.user.username,\n    \"nickname\": request.user.username,\n"
                                + "    \"groups\": [group.name for group in request.user.ak_groups.all()],\n}"),
                scopeMapping("goauthentik.io/providers/oauth2/scope-offline_access", "authentik default OAuth Mapping: OpenID 'offline_access'",
                        "offline_access", "Access to request new tokens without interaction",
                        "# This scope is handled by authentik\nreturn {}"),
                scopeMapping("goauthentik.io/providers/oauth2/scope-entitlements", "authentik default OAuth Mapping: Application Entitlements",
                        "entitlements", "Application entitlements",
                        "entitlements = [entitlement.name for entitlement in request.user.app_entitlements(provider.application)]\n"
                                + "return {\n    \"entitlements\": entitlements,\n    \"roles\": entitlements,\n}"),
                scopeMapping("goauthentik.io/providers/oauth2/scope-authentik_api", "authentik default OAuth Mapping: authentik API access",
                        "goauthentik.io/api", "authentik API Access on behalf of your user",
                        "return {}"));
    }

    private static ObjectNode scopeMapping(String managed, String name, String scope, String description, String expression) {
        ObjectNode mapping = Json.object();
        mapping.put("pk", stableUuid("mapping:" + managed));
        mapping.put("managed", managed);
        mapping.put("name", name);
        mapping.put("expression", expression);
        mapping.put("scope_name", scope);
        mapping.put("description", description);
        return mapping;
    }

    /** Managed SAML property mappings (REFERENCE 12.4), stored fields only. */
    static List<ObjectNode> samlMappings() {
        return List.of(
                samlMapping("upn", "UPN", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn",
                        "return request.user.attributes.get('upn', request.user.email)"),
                samlMapping("name", "Name", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
                        "return request.user.name"),
                samlMapping("email", "Email", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
                        "return request.user.email"),
                samlMapping("username", "Username", "http://schemas.goauthentik.io/2021/02/saml/username",
                        "return request.user.username"),
                samlMapping("uid", "User ID", "http://schemas.goauthentik.io/2021/02/saml/uid",
                        "return request.user.pk"),
                samlMapping("groups", "Groups", "http://schemas.xmlsoap.org/claims/Group",
                        "for group in request.user.ak_groups.all():\n    yield group.name"),
                samlMapping("ms-windowsaccountname", "WindowsAccountname (Username)",
                        "http://schemas.microsoft.com/ws/2008/06/identity/claims/windowsaccountname",
                        "return request.user.username"));
    }

    private static ObjectNode samlMapping(String id, String label, String samlName, String expression) {
        String managed = "goauthentik.io/providers/saml/" + id;
        ObjectNode mapping = Json.object();
        mapping.put("pk", stableUuid("mapping:" + managed));
        mapping.put("managed", managed);
        mapping.put("name", "authentik default SAML Mapping: " + label);
        mapping.put("expression", expression);
        mapping.put("saml_name", samlName);
        mapping.putNull("friendly_name");
        return mapping;
    }
}
