package dev.chatgptsso.provisioner.integration;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chatgptsso.provisioner.chatgpt.ChatGptSamlRecipe;
import dev.chatgptsso.provisioner.fakeauthentik.FakeAuthentik;
import dev.chatgptsso.provisioner.support.ApiTestSupport;
import dev.chatgptsso.provisioner.support.Fakes;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** SAML create → finalise on both API generations, asserting what authentik ends up holding. */
@QuarkusTest
class SamlProvisioningTests extends ApiTestSupport {
    private static final String ACS = "https://auth.openai.com/sso/saml/acs/conn_01HXYZ";
    private static final String AUDIENCE = "urn:openai:chatgpt:sso:conn_01HXYZ";

    static Map<String, Object> samlRequest(String instanceId, String slug) {
        return Map.of("instanceId", instanceId, "protocol", "saml", "application", Map.of("name", "ChatGPT", "slug", slug, "group", "AI"));
    }

    @ParameterizedTest
    @ValueSource(strings = {Fakes.LEGACY, Fakes.CURRENT})
    void createThenFinaliseLeavesExactlyTheRecipeInAuthentik(String version) {
        FakeAuthentik fake = Fakes.of(version);
        String[] ids = tenantWithInstance("saml", fake);
        JsonPath created = createIntegration(ids[0], samlRequest(ids[1], "chatgpt-saml")).then().statusCode(201)
                .body("protocol", equalTo("saml"))
                .body("status", equalTo("awaiting_finalise"))
                .body("oidc", nullValue())
                .body("saml.acsUrl", equalTo(ChatGptSamlRecipe.TEMPORARY_ACS_URL))
                .body("saml.audience", equalTo(""))
                .body("nextSteps", hasSize(4))
                .extract().jsonPath();
        String base = fake.baseUrl() + "/application/saml/chatgpt-saml/";
        if (version.equals(Fakes.CURRENT)) {
            // 2026.5: the generated issuer and the unified endpoint, read from authentik rather than built
            assertEquals(base + "metadata/", created.getString("saml.entityId"));
            assertEquals(base, created.getString("saml.ssoUrl"));
            assertEquals(base, created.getString("saml.sloUrl"));
        } else {
            assertEquals("authentik", created.getString("saml.entityId"));
            assertEquals(base + "sso/binding/redirect/", created.getString("saml.ssoUrl"));
            assertEquals(base + "slo/binding/redirect/", created.getString("saml.sloUrl"));
        }
        assertEquals(base + "metadata/", created.getString("saml.metadataUrl"));

        ObjectNode app = fake.application("chatgpt-saml").orElseThrow();
        int providerPk = app.get("provider").asInt();
        assertEquals(created.getInt("authentik.providerPk"), providerPk);
        ObjectNode provider = fake.samlProviders().stream().filter(p -> p.get("pk").asInt() == providerPk).findFirst().orElseThrow();
        ObjectNode key = fake.certificateKeyPairs().stream()
                .filter(k -> k.get("name").asText().equals("authentik Self-signed Certificate")).findFirst().orElseThrow();
        assertEquals(key.get("pk").asText(), provider.get("signing_kp").asText());
        assertTrue(created.getString("saml.certificatePem").startsWith("-----BEGIN CERTIFICATE-----"));
        assertEquals(ChatGptSamlRecipe.TEMPORARY_ACS_URL, provider.get("acs_url").asText());
        assertTrue(provider.get("sign_assertion").asBoolean());
        assertEquals("post", provider.get("sp_binding").asText());
        assertEquals("minutes=-5", provider.get("assertion_valid_not_before").asText());
        assertEquals("minutes=5", provider.get("assertion_valid_not_on_or_after").asText());
        assertEquals("hours=8", provider.get("session_valid_not_on_or_after").asText());
        assertEquals(ChatGptSamlRecipe.EMAIL_NAME_ID_POLICY, provider.get("default_name_id_policy").asText());

        String emailPk = managedSamlPk(fake, ChatGptSamlRecipe.MANAGED_EMAIL);
        assertEquals(emailPk, provider.get("name_id_mapping").asText(), "the NameID carries the email");
        List<String> mappings = OidcProvisioningTests.texts(provider.get("property_mappings"));
        assertEquals(3, mappings.size());
        assertEquals(emailPk, mappings.get(0));
        List<String> attributes = fake.samlMappings().stream().filter(m -> mappings.contains(m.get("pk").asText()))
                .map(m -> m.get("saml_name").asText()).toList();
        assertTrue(attributes.containsAll(List.of(ChatGptSamlRecipe.GIVEN_NAME_ATTRIBUTE, ChatGptSamlRecipe.SURNAME_ATTRIBUTE,
                "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress")), attributes.toString());

        String id = created.getString("id");
        admin().body(Map.of("acsUrl", ACS, "audience", AUDIENCE)).post("/api/v1/tenants/{t}/integrations/{id}/finalise", ids[0], id)
                .then().statusCode(200)
                .body("status", equalTo("active"))
                .body("saml.acsUrl", equalTo(ACS))
                .body("saml.audience", equalTo(AUDIENCE));
        ObjectNode finalised = fake.samlProviders().get(0);
        assertEquals(ACS, finalised.get("acs_url").asText());
        assertEquals(AUDIENCE, finalised.get("audience").asText());

        // the attributes ChatGPT reads, as authentik would send them for Ada Lovelace
        JsonNode preview = fakePreview(fake, providerPk, 3);
        List<String> names = new java.util.ArrayList<>();
        preview.path("attributes").forEach(a -> names.add(a.get("Name").asText() + "=" + a.get("Value").asText()));
        assertTrue(names.contains(ChatGptSamlRecipe.GIVEN_NAME_ATTRIBUTE + "=Ada"), names.toString());
        assertTrue(names.contains(ChatGptSamlRecipe.SURNAME_ATTRIBUTE + "=Lovelace"), names.toString());
        assertEquals("ada@example.com", preview.path("nameID").path("Value").asText());
    }

    /** The owned mappings carry the new instance's id in their names, so nothing can hold those names yet. */
    @Test
    void theFirstCreateOnANewInstanceMakesItsOwnedMappingsWithoutSearchingForThem() {
        FakeAuthentik fake = Fakes.of(Fakes.CURRENT);
        String[] ids = tenantWithInstance("saml-owned", fake);
        createIntegration(ids[0], samlRequest(ids[1], "saml-owned")).then().statusCode(201);

        List<FakeAuthentik.RecordedRequest> mappingCalls = fake.requests().stream()
                .filter(r -> r.path().startsWith("/api/v3/propertymappings/")).toList();
        assertTrue(mappingCalls.stream().noneMatch(r -> r.query().contains("name=")),
                "no search by name: " + mappingCalls.stream().map(r -> r.method() + " " + r.path() + "?" + r.query()).toList());
        assertEquals(2, mappingCalls.stream().filter(r -> r.method().equals("POST")).count(),
                "the given-name and surname mappings are made, each once");
    }

    @Test
    void finaliseNeedsBothAnHttpsAcsUrlAndAnAudienceAndNothingOidc() {
        FakeAuthentik fake = Fakes.of(Fakes.CURRENT);
        String[] ids = tenantWithInstance("samlbad", fake);
        String id = createIntegration(ids[0], samlRequest(ids[1], "chatgpt-saml")).then().statusCode(201).extract().path("id");
        fake.clearRequests();
        for (Map<String, Object> body : List.<Map<String, Object>>of(Map.of("acsUrl", ACS), Map.of("audience", AUDIENCE),
                Map.of("acsUrl", "http://auth.openai.com/acs", "audience", AUDIENCE), Map.of("acsUrl", ACS, "audience", "has space"),
                Map.of("loginRedirectUri", ACS))) {
            admin().body(body).post("/api/v1/tenants/{t}/integrations/{id}/finalise", ids[0], id).then().statusCode(400)
                    .contentType("application/problem+json").body("type", equalTo("/problems/validation"));
        }
        admin().body(Map.of("acsUrl", ACS)).post("/api/v1/tenants/{t}/integrations/{id}/finalise", ids[0], id).then()
                .body("errors.field", hasItem("audience"));
        assertEquals(0, fake.requests().size(), "a refused finalise does not call authentik");
    }

    @Test
    void samlIntegrationsOnOneInstanceShareTheNameMappingsAndHaveNoClientCredentials() {
        FakeAuthentik fake = Fakes.of(Fakes.CURRENT);
        String[] ids = tenantWithInstance("samlshare", fake);
        String first = createIntegration(ids[0], samlRequest(ids[1], "chatgpt-a")).then().statusCode(201).extract().path("id");
        createIntegration(ids[0], samlRequest(ids[1], "chatgpt-b")).then().statusCode(201);
        assertEquals(2, fake.samlMappings().stream().filter(m -> m.path("managed").isNull()).count(), "given name and surname, once");
        admin().get("/api/v1/tenants/{t}/integrations/{id}/credentials", ids[0], first).then().statusCode(409)
                .body("type", equalTo("/problems/protocol-mismatch"));
        admin().post("/api/v1/tenants/{t}/integrations/{id}/rotate-secret", ids[0], first).then().statusCode(409)
                .body("type", equalTo("/problems/protocol-mismatch"));
    }

    @Test
    void aFailedSamlCreateLeavesNothingAndARetrySucceeds() {
        FakeAuthentik fake = Fakes.of(Fakes.CURRENT);
        String[] ids = tenantWithInstance("samlfault", fake);
        fake.injectFault("PUT", "/api/v3/core/transactional/applications/", 1, FakeAuthentik.Fault.afterWrite(FakeAuthentik.Fault.status(500)));
        createIntegration(ids[0], samlRequest(ids[1], "chatgpt-saml")).then().statusCode(502).body("step", equalTo("create-application-and-provider"));
        assertTrue(fake.applications().isEmpty());
        assertTrue(fake.samlProviders().isEmpty());
        createIntegration(ids[0], samlRequest(ids[1], "chatgpt-saml")).then().statusCode(201);
        assertEquals(1, fake.samlProviders().size());
    }

    static String managedSamlPk(FakeAuthentik fake, String managed) {
        return fake.samlMappings().stream().filter(m -> managed.equals(m.path("managed").asText())).findFirst().orElseThrow()
                .get("pk").asText();
    }

    /** authentik's own SAML preview for a user, read from the fake's API with the admin token. */
    static JsonNode fakePreview(FakeAuthentik fake, int providerPk, int userPk) {
        String body = io.restassured.RestAssured.given().header("Authorization", "Bearer " + FakeAuthentik.ADMIN_TOKEN)
                .get(fake.baseUrl() + "/api/v3/providers/saml/" + providerPk + "/preview_user/?for_user=" + userPk)
                .then().statusCode(200).extract().asString();
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).get("preview");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
