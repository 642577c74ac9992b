package dev.chatgptsso.provisioner.chatgpt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chatgptsso.provisioner.support.RecipeExpressions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The mapping expressions are Python that authentik runs; the fake authentik runs a Java model of
 * them ({@link RecipeExpressions}). This test runs the real Python (when a python3 is on the
 * machine) for awkward names and checks both agree, and that the expressions never raise, not even
 * for the anonymous user the discovery document evaluates them with.
 */
class ProfileExpressionTests {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String HARNESS = """
            import json, sys

            class User:
                def __init__(self, spec):
                    self.username = spec.get("username")
                    self.name = spec.get("name")
                    self.attributes = spec.get("attributes")

            class Request:
                def __init__(self, user):
                    self.user = user

            def run(expression, spec):
                source = "def mapping(request):\\n" + "\\n".join("    " + line for line in expression.splitlines())
                scope = {}
                exec(source, scope)
                return scope["mapping"](Request(User(spec)))

            cases = json.load(sys.stdin)
            print(json.dumps([[run(expression, spec) for expression in cases["expressions"]] for spec in cases["users"]]))
            """;

    static final List<Map<String, Object>> USERS = List.of(
            user("ada", "Ada Lovelace", Map.of()),
            user("jdoe", "", Map.of()),
            user("cher", "Cher", Map.of()),
            user("jlp", "Jean Luc Picard", Map.of()),
            user("spaces", "  Grace   Hopper  ", Map.of()),
            user("attr", "Whatever Name", Map.of("given_name", "Augusta", "family_name", "King")),
            user("half", "Alan Turing", Map.of("family_name", "Turing-Smith")),
            user("", "", Map.of()),
            user(null, null, null));

    private static Map<String, Object> user(String username, String name, Map<String, String> attributes) {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("username", username);
        user.put("name", name);
        user.put("attributes", attributes);
        return user;
    }

    @Test
    void thePythonAndTheFakesModelAgreeForAwkwardNames() throws Exception {
        Path python = Path.of("/usr/bin/python3");
        if (!Files.isExecutable(python)) {
            python = Path.of(System.getProperty("user.home"), ".pyenv", "shims", "python3");
        }
        assumeTrue(Files.isExecutable(python) || onPath("python3"), "no python3 on this machine: the expressions' Python is not run");
        List<String> expressions = List.of(ChatGptOidcRecipe.PROFILE_MAPPING_EXPRESSION, ChatGptSamlRecipe.GIVEN_NAME_EXPRESSION,
                ChatGptSamlRecipe.SURNAME_EXPRESSION);
        Path script = Files.createTempFile("expressions", ".py");
        Files.writeString(script, HARNESS);
        Process process = new ProcessBuilder(Files.isExecutable(python) ? python.toString() : "python3", script.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        process.getOutputStream().write(JSON.writeValueAsBytes(Map.of("expressions", expressions, "users", USERS)));
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assumeTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), "an expression raised");
        List<?> results = JSON.readValue(output, List.class);
        for (int i = 0; i < USERS.size(); i++) {
            Map<String, Object> user = new LinkedHashMap<>(USERS.get(i));
            if (user.get("attributes") == null) {
                user.put("attributes", Map.of());
            }
            Map<String, Object> model = RecipeExpressions.profile(user);
            List<?> python3 = (List<?>) results.get(i);
            assertEquals(model, python3.get(0), "profile claims for " + USERS.get(i));
            assertEquals(model.get("given_name"), python3.get(1), "SAML given name for " + USERS.get(i));
            assertEquals(model.get("family_name"), python3.get(2), "SAML surname for " + USERS.get(i));
        }
        Files.deleteIfExists(script);
    }

    @Test
    void theModelSplitsOnceAtTheFirstSpaceAndPrefersAttributes() {
        assertEquals(Map.of("name", "Jean Luc Picard", "given_name", "Jean", "family_name", "Luc Picard", "preferred_username", "jlp"),
                RecipeExpressions.profile(USERS.get(3)));
        assertEquals(Map.of("name", "jdoe", "given_name", "jdoe", "family_name", "", "preferred_username", "jdoe"),
                RecipeExpressions.profile(USERS.get(1)));
        assertEquals("Augusta", RecipeExpressions.profile(USERS.get(5)).get("given_name"));
        assertEquals("King", RecipeExpressions.profile(USERS.get(5)).get("family_name"));
    }

    private static boolean onPath(String command) {
        try {
            return new ProcessBuilder(command, "--version").start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
