package dev.chatgptsso.provisioner.fakeauthentik;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The schema check the fake applies to every request is really on (the committed schemas load) and
 * tells a conforming request from a broken one, so a green run means the service's requests matched
 * authentik's published contract.
 */
class SchemaValidatorTest {
    private static final String PROVIDERS = "/api/v3/providers/oauth2/";
    private static final String BEARER = "Bearer " + FakeAuthentik.ADMIN_TOKEN;
    private static final String FLOW = "9f0b3c52-9b4e-4c8f-8a55-5c4c2a8d6f11";

    @ParameterizedTest
    @ValueSource(strings = {"2026.2.2", "2026.5.6", "2026.8.3"})
    void theCommittedSchemaLoadsAndSeparatesValidFromInvalidRequests(String release) {
        SchemaValidator validator = SchemaValidator.forVersion(AuthentikVersion.parse(release))
                .orElseThrow(() -> new AssertionError("no schema for " + release + " under " + SchemaValidator.schemaDirectory()));

        String valid = "{\"name\":\"p\",\"authorization_flow\":\"" + FLOW + "\",\"invalidation_flow\":\"" + FLOW + "\","
                + "\"redirect_uris\":[{\"matching_mode\":\"strict\",\"url\":\"https://temp.temp\"}]}";
        assertEquals(List.of(), validator.validate("POST", PROVIDERS, Map.of(), BEARER, "application/json", valid));

        String noRedirects = "{\"name\":\"p\",\"authorization_flow\":\"" + FLOW + "\",\"invalidation_flow\":\"" + FLOW + "\"}";
        List<String> missing = validator.validate("POST", PROVIDERS, Map.of(), BEARER, "application/json", noRedirects);
        assertTrue(missing.stream().anyMatch(m -> m.contains("redirect_uris")), "required redirect_uris is reported: " + missing);

        String badMode = valid.replace("strict", "fuzzy");
        List<String> wrongEnum = validator.validate("POST", PROVIDERS, Map.of(), BEARER, "application/json", badMode);
        assertTrue(wrongEnum.stream().anyMatch(m -> m.contains("fuzzy")), "an unknown matching_mode is reported: " + wrongEnum);
    }
}
