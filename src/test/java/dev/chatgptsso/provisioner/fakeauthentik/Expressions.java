package dev.chatgptsso.provisioner.fakeauthentik;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Evaluates property-mapping expressions. authentik runs them as Python; the fake cannot, so it knows the
 * behaviour of authentik's managed mappings and of expressions registered with
 * {@link FakeAuthentik#registerExpression}. Any other expression fails to evaluate, which authentik treats like
 * a mapping that raises: its claims are skipped (REFERENCE 6.4, 10).
 */
final class Expressions {

    /** The user an expression sees: {@code username}, {@code name}, {@code email}, {@code attributes}, or the anonymous user. */
    static Map<String, Object> userContext(FakeUser user) {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("pk", user.pk());
        context.put("username", user.username());
        context.put("name", user.name());
        context.put("email", user.email());
        context.put("uid", user.uid());
        context.put("attributes", Map.copyOf(user.attributes()));
        return context;
    }

    /** Django's AnonymousUser, which the discovery document evaluates every scope mapping with. */
    static Map<String, Object> anonymous() {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("pk", null);
        context.put("username", "");
        context.put("name", "");
        context.put("email", "");
        context.put("uid", "");
        context.put("attributes", Map.of());
        return context;
    }

    private final Map<String, Function<Map<String, Object>, Map<String, Object>>> registered = new ConcurrentHashMap<>();

    void register(String expression, Function<Map<String, Object>, Map<String, Object>> behaviour) {
        registered.put(expression, behaviour);
    }

    /** The dict the mapping returns for {@code user}, or empty when evaluating it fails. */
    Optional<Map<String, Object>> evaluate(com.fasterxml.jackson.databind.node.ObjectNode mapping, Map<String, Object> user,
                                           AuthentikVersion version) {
        String managed = Json.text(mapping, "managed");
        if (managed != null) {
            return Optional.ofNullable(managed(managed, user, version));
        }
        Function<Map<String, Object>, Map<String, Object>> behaviour = registered.get(mapping.path("expression").asText());
        if (behaviour == null) {
            return Optional.empty();
        }
        try {
            return Optional.ofNullable(behaviour.apply(user));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Map<String, Object> managed(String managed, Map<String, Object> user, AuthentikVersion version) {
        Map<String, Object> result = new LinkedHashMap<>();
        switch (managed) {
            case "goauthentik.io/providers/oauth2/scope-email" -> {
                result.put("email", user.get("email"));
                result.put("email_verified", !version.emailVerifiedIsFalse());
            }
            case "goauthentik.io/providers/oauth2/scope-profile" -> {
                result.put("name", user.get("name"));
                result.put("given_name", user.get("name"));
                result.put("preferred_username", user.get("username"));
                result.put("nickname", user.get("username"));
                result.put("groups", List.of());
            }
            case "goauthentik.io/providers/saml/upn", "goauthentik.io/providers/saml/email" -> result.put("value", user.get("email"));
            case "goauthentik.io/providers/saml/name" -> result.put("value", user.get("name"));
            case "goauthentik.io/providers/saml/username", "goauthentik.io/providers/saml/ms-windowsaccountname" ->
                    result.put("value", user.get("username"));
            case "goauthentik.io/providers/saml/uid" -> result.put("value", user.get("uid"));
            case "goauthentik.io/providers/saml/groups" -> result.put("value", List.of());
            default -> {
                // openid, offline_access, entitlements, authentik API: no claims of their own
            }
        }
        return result;
    }
}
