package dev.chatgptsso.provisioner.fakeauthentik;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The fake's own answers match authentik's published OpenAPI schema, independent of the service: every call the
 * service makes (and the neighbouring ones it may make) is sent with a plain {@link HttpClient}, and neither the
 * requests nor the fake's 2xx answers may break the schema of the version being imitated.
 */
class FakeAuthentikContractTest {

    private static final String API = "/api/v3/";
    private static final String IMPLICIT = "default-provider-authorization-implicit-consent";
    private static final String INVALIDATION = "default-provider-invalidation-flow";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @ParameterizedTest
    @ValueSource(strings = {"2026.2.2", "2026.5.6", "2026.8.3"})
    void everyAnswerTheServiceReadsMatchesTheSchema(String release) throws Exception {
        try (FakeAuthentik fake = FakeAuthentik.start(release)) {
            Client api = new Client(fake);

            // discovery of the instance
            assertEquals(release, api.get("admin/version/").path("version_current").asText());
            assertEquals("akadmin", api.get("core/users/me/").path("user").path("username").asText());
            api.get("core/users/?username=akadmin");
            String authorizationFlow = api.get("flows/instances/" + IMPLICIT + "/").path("pk").asText();
            String invalidationFlow = api.get("flows/instances/" + INVALIDATION + "/").path("pk").asText();
            api.get("flows/instances/");
            JsonNode keys = api.get("crypto/certificatekeypairs/?has_key=true");
            assertFalse(keys.path("results").isEmpty(), "seeded key pairs: " + keys);
            String keyPair = keys.path("results").get(0).path("pk").asText();
            api.get("crypto/certificatekeypairs/?has_key=true&name=" + encode("authentik Self-signed Certificate"));
            api.get("crypto/certificatekeypairs/"); // including the pair without private key
            api.get("crypto/certificatekeypairs/" + keyPair + "/");
            api.get("crypto/certificatekeypairs/" + keyPair + "/view_certificate/");

            // scope mappings: managed ones and an owned one
            JsonNode managed = api.get("propertymappings/provider/scope/?managed=goauthentik.io/providers/oauth2/scope-openid"
                    + "&managed=goauthentik.io/providers/oauth2/scope-email&managed=goauthentik.io/providers/oauth2/scope-profile");
            assertEquals(3, managed.path("results").size(), "managed scope mappings: " + managed);
            api.get("propertymappings/provider/scope/");
            String openid = managed.path("results").get(0).path("pk").asText();
            String scope = api.send("POST", "propertymappings/provider/scope/",
                    "{\"name\":\"ChatGPT contract scope\",\"scope_name\":\"chatgpt\",\"description\":\"d\","
                            + "\"expression\":\"return {}\"}", 201).path("pk").asText();
            api.get("propertymappings/provider/scope/" + scope + "/");
            api.get("propertymappings/provider/scope/?name=" + encode("ChatGPT contract scope"));
            api.send("PATCH", "propertymappings/provider/scope/" + scope + "/", "{\"description\":\"changed\"}", 200);
            api.get("propertymappings/provider/scope/" + scope + "/used_by/");

            // OIDC: transactional create, then everything read or changed afterwards
            String oauth2 = "{\"name\":\"ChatGPT contract OIDC\",\"authorization_flow\":\"" + authorizationFlow + "\","
                    + "\"invalidation_flow\":\"" + invalidationFlow + "\",\"client_type\":\"confidential\","
                    + "\"redirect_uris\":[{\"matching_mode\":\"strict\",\"url\":\"https://temp.temp\"}],"
                    + "\"property_mappings\":[\"" + openid + "\",\"" + scope + "\"],\"signing_key\":\"" + keyPair + "\","
                    + "\"sub_mode\":\"user_email\",\"include_claims_in_id_token\":true}";
            JsonNode applied = api.send("PUT", "core/transactional/applications/",
                    "{\"provider_model\":\"authentik_providers_oauth2.oauth2provider\",\"provider\":" + oauth2 + ","
                            + "\"app\":{\"name\":\"ChatGPT\",\"slug\":\"chatgpt-contract\",\"group\":\"AI\","
                            + "\"policy_engine_mode\":\"any\"}}", 200);
            assertTrue(applied.path("applied").asBoolean(), "transactional create: " + applied);
            JsonNode app = api.get("core/applications/chatgpt-contract/");
            int oidcPk = app.path("provider").asInt();
            api.get("core/applications/?slug=chatgpt-contract");
            api.get("core/applications/?superuser_full_list=true");
            api.get("providers/oauth2/?name=" + encode("ChatGPT contract OIDC"));
            String clientId = api.get("providers/oauth2/" + oidcPk + "/").path("client_id").asText();
            api.get("providers/oauth2/?client_id=" + encode(clientId));
            api.send("PATCH", "providers/oauth2/" + oidcPk + "/",
                    "{\"redirect_uris\":[{\"matching_mode\":\"strict\",\"url\":\"https://chatgpt.com/auth/login/callback\"}]}", 200);
            api.get("providers/oauth2/" + oidcPk + "/setup_urls/");
            api.get("providers/oauth2/" + oidcPk + "/preview_user/");
            api.get("providers/oauth2/" + oidcPk + "/preview_user/?for_user=3");
            api.get("providers/oauth2/" + oidcPk + "/used_by/");
            api.get("core/applications/chatgpt-contract/used_by/");

            // a provider without application: slug-based answers are empty or null
            int loose = api.send("POST", "providers/oauth2/", oauth2.replace("ChatGPT contract OIDC", "loose"), 201).path("pk").asInt();
            api.get("providers/oauth2/" + loose + "/");
            api.get("providers/oauth2/" + loose + "/setup_urls/");
            api.send("DELETE", "providers/oauth2/" + loose + "/", null, 204);

            // an application without provider (provider_obj null)
            api.send("POST", "core/applications/", "{\"name\":\"bare\",\"slug\":\"bare-contract\"}", 201);
            api.get("core/applications/bare-contract/");
            api.send("DELETE", "core/applications/bare-contract/", null, 204);

            // SAML: managed mappings, an owned one, transactional create, reads and changes
            JsonNode samlManaged = api.get("propertymappings/provider/saml/?managed=goauthentik.io/providers/saml/email");
            String samlEmail = samlManaged.path("results").get(0).path("pk").asText();
            api.get("propertymappings/provider/saml/");
            String samlMapping = api.send("POST", "propertymappings/provider/saml/",
                    "{\"name\":\"ChatGPT contract SAML\",\"saml_name\":\"firstName\",\"friendly_name\":\"First name\","
                            + "\"expression\":\"return request.user.name\"}", 201).path("pk").asText();
            api.get("propertymappings/provider/saml/" + samlMapping + "/");
            api.send("PATCH", "propertymappings/provider/saml/" + samlMapping + "/", "{\"friendly_name\":null}", 200);
            api.get("propertymappings/provider/saml/" + samlMapping + "/used_by/");
            String saml = "{\"name\":\"ChatGPT contract SAML\",\"authorization_flow\":\"" + authorizationFlow + "\","
                    + "\"invalidation_flow\":\"" + invalidationFlow + "\",\"acs_url\":\"https://temp.temp/acs\","
                    + "\"audience\":\"https://chatgpt.com\",\"sp_binding\":\"post\",\"signing_kp\":\"" + keyPair + "\","
                    + "\"property_mappings\":[\"" + samlEmail + "\",\"" + samlMapping + "\"],\"name_id_mapping\":\"" + samlEmail + "\"}";
            api.send("PUT", "core/transactional/applications/",
                    "{\"provider_model\":\"authentik_providers_saml.samlprovider\",\"provider\":" + saml + ","
                            + "\"app\":{\"name\":\"ChatGPT SAML\",\"slug\":\"chatgpt-contract-saml\"}}", 200);
            int samlPk = api.get("core/applications/chatgpt-contract-saml/").path("provider").asInt();
            api.get("providers/saml/?name=" + encode("ChatGPT contract SAML"));
            api.get("providers/saml/" + samlPk + "/");
            api.send("PATCH", "providers/saml/" + samlPk + "/", "{\"acs_url\":\"https://chatgpt.com/auth/saml/acs\"}", 200);
            api.get("providers/saml/" + samlPk + "/metadata/");
            api.get("providers/saml/" + samlPk + "/preview_user/?for_user=3");
            api.get("providers/saml/" + samlPk + "/used_by/");
            int looseSaml = api.send("POST", "providers/saml/", saml.replace("ChatGPT contract SAML", "loose SAML"), 201).path("pk").asInt();
            api.get("providers/saml/" + looseSaml + "/");
            api.send("DELETE", "providers/saml/" + looseSaml + "/", null, 204);

            // clean-up in the service's order: applications, providers, owned mappings
            api.send("DELETE", "core/applications/chatgpt-contract/", null, 204);
            api.send("DELETE", "core/applications/chatgpt-contract-saml/", null, 204);
            api.get("providers/oauth2/" + oidcPk + "/used_by/");
            api.send("DELETE", "providers/oauth2/" + oidcPk + "/", null, 204);
            api.send("DELETE", "providers/saml/" + samlPk + "/", null, 204);
            api.send("DELETE", "propertymappings/provider/scope/" + scope + "/", null, 204);
            api.send("DELETE", "propertymappings/provider/saml/" + samlMapping + "/", null, 204);

            assertEquals(List.of(), fake.schemaViolations(), "requests of this test broke the " + release + " schema");
            assertEquals(List.of(), fake.responseViolations(), "answers of the fake broke the " + release + " schema");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026.2.2", "2026.5.6"})
    void anAnswerThatBreaksTheSchemaIsRecordedAndClearedByReset(String release) throws Exception {
        try (FakeAuthentik fake = FakeAuthentik.start(release)) {
            Client api = new Client(fake);
            String flow = api.get("flows/instances/" + IMPLICIT + "/").path("pk").asText();
            int pk = api.send("POST", "providers/oauth2/", "{\"name\":\"drifted\",\"authorization_flow\":\"" + flow + "\","
                    + "\"invalidation_flow\":\"" + flow + "\",\"redirect_uris\":[]}", 201).path("pk").asInt();
            assertEquals(List.of(), fake.responseViolations());

            fake.patchProvider(pk, java.util.Map.of("client_type", "fuzzy", "access_code_validity", 5));
            api.get("providers/oauth2/" + pk + "/");
            List<String> violations = fake.responseViolations();
            assertTrue(violations.stream().anyMatch(v -> v.startsWith("GET /api/v3/providers/oauth2/" + pk + "/ -> 200: ")
                    && v.contains("client_type") && v.contains("fuzzy")), "an unknown enum value is reported: " + violations);
            assertTrue(violations.stream().anyMatch(v -> v.contains("access_code_validity")), "a wrong type is reported: " + violations);
            assertEquals(List.of(), fake.schemaViolations(), "the requests themselves were fine");

            fake.reset();
            assertEquals(List.of(), fake.responseViolations());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026.2.2", "2026.5.6"})
    void aBrokenAnswerIsRecognised(String release) throws Exception {
        SchemaValidator validator = SchemaValidator.forVersion(AuthentikVersion.parse(release)).orElseThrow();
        String path = API + "admin/version/";
        String valid = "{\"version_current\":\"" + release + "\",\"version_latest\":\"" + release + "\","
                + "\"version_latest_valid\":true,\"build_hash\":\"\",\"outdated\":false,\"outpost_outdated\":false}";
        assertEquals(List.of(), validator.validateResponse("GET", path, 200, "application/json", valid));

        List<String> missing = validator.validateResponse("GET", path, 200, "application/json",
                valid.replace(",\"outpost_outdated\":false", ""));
        assertTrue(missing.stream().anyMatch(m -> m.contains("outpost_outdated")), "a missing required field: " + missing);

        List<String> wrongType = validator.validateResponse("GET", path, 200, "application/json",
                valid.replace("\"outdated\":false", "\"outdated\":\"no\""));
        assertTrue(wrongType.stream().anyMatch(m -> m.contains("outdated")), "a wrongly typed field: " + wrongType);

        List<String> extra = validator.validateResponse("GET", path, 200, "application/json",
                valid.replace("{", "{\"from_another_release\":1,"));
        assertTrue(extra.stream().anyMatch(m -> m.contains("from_another_release")), "a field the schema lacks: " + extra);

        // a nullable reference ({allOf: [$ref], nullable: true}) takes null, but still nothing else
        String flow = API + "flows/instances/default-invalidation-flow/";
        List<String> nullThemes = validator.validateResponse("GET", flow, 200, "application/json", "{\"background_themed_urls\":null}");
        assertTrue(nullThemes.stream().noneMatch(m -> m.contains("background_themed_urls")), "null is allowed: " + nullThemes);
        List<String> stringThemes = validator.validateResponse("GET", flow, 200, "application/json", "{\"background_themed_urls\":\"x\"}");
        assertTrue(stringThemes.stream().anyMatch(m -> m.contains("background_themed_urls")), "a string is not: " + stringThemes);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** Minimal authentik client: admin token, JSON in and out, expected status asserted. */
    private final class Client {
        private final FakeAuthentik fake;

        Client(FakeAuthentik fake) {
            this.fake = fake;
        }

        JsonNode get(String path) throws IOException, InterruptedException {
            return send("GET", path, null, 200);
        }

        JsonNode send(String method, String path, String body, int expectedStatus) throws IOException, InterruptedException {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(fake.baseUrl() + API + path))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + FakeAuthentik.ADMIN_TOKEN)
                    .header("Accept", "application/json");
            if (body != null) {
                request.header("Content-Type", "application/json");
            }
            request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(expectedStatus, response.statusCode(), method + " " + path + " answered " + response.body());
            return response.body().isEmpty() ? Json.object() : Json.parse(response.body());
        }
    }
}
