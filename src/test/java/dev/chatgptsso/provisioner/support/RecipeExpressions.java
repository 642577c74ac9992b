package dev.chatgptsso.provisioner.support;

import dev.chatgptsso.provisioner.chatgpt.ChatGptOidcRecipe;
import dev.chatgptsso.provisioner.chatgpt.ChatGptSamlRecipe;
import dev.chatgptsso.provisioner.fakeauthentik.FakeAuthentik;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the service's own mapping expressions return, for the fake authentik (which cannot run Python). The Java
 * here models the Python line by line; {@code ProfileExpressionTests} checks both agree by running the Python
 * when a python3 is on the machine.
 */
public final class RecipeExpressions {
    private RecipeExpressions() {}

    public static void registerOn(FakeAuthentik fake) {
        fake.registerExpression(ChatGptOidcRecipe.PROFILE_MAPPING_EXPRESSION, RecipeExpressions::profile);
        fake.registerExpression(ChatGptSamlRecipe.GIVEN_NAME_EXPRESSION, user -> Map.of("value", profile(user).get("given_name")));
        fake.registerExpression(ChatGptSamlRecipe.SURNAME_EXPRESSION, user -> Map.of("value", profile(user).get("family_name")));
    }

    /** The ChatGPT profile mapping: attributes win, else the name split once at the first space, else the username. */
    public static Map<String, Object> profile(Map<String, Object> user) {
        Object rawAttributes = user.get("attributes");
        Map<?, ?> attributes = rawAttributes instanceof Map<?, ?> map ? map : Map.of();
        String username = text(user.get("username"));
        String fullName = text(user.get("name")).strip();
        if (fullName.isEmpty()) {
            fullName = username;
        }
        int space = fullName.indexOf(' ');
        String first = space < 0 ? fullName : fullName.substring(0, space);
        String rest = space < 0 ? "" : fullName.substring(space + 1);
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("name", fullName);
        claims.put("given_name", firstNonEmpty(attributes.get("given_name"), first));
        claims.put("family_name", firstNonEmpty(attributes.get("family_name"), rest.strip()));
        claims.put("preferred_username", username);
        return claims;
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }

    private static String firstNonEmpty(Object preferred, String fallback) {
        String value = text(preferred);
        return value.isEmpty() ? fallback : value;
    }
}
