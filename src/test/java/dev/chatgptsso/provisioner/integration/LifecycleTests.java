package dev.chatgptsso.provisioner.integration;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chatgptsso.provisioner.fakeauthentik.FakeAuthentik;
import dev.chatgptsso.provisioner.support.ApiTestSupport;
import dev.chatgptsso.provisioner.support.Fakes;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Credentials, secret rotation, deletion, adoption and the audit trail of an integration. */
@QuarkusTest
class LifecycleTests extends ApiTestSupport {
    private static final String LOGIN_REDIRECT = "https://auth.openai.com/sso/oidc/callback/conn_life";

    @ParameterizedTest
    @ValueSource(strings = {Fakes.LEGACY, Fakes.CURRENT})
    void credentialsAreReadLiveAndTheReadIsAudited(String version) {
        FakeAuthentik fake = Fakes.of(version);
        String[] ids = tenantWithInstance("creds", fake);
        JsonPath created = createIntegration(ids[0], oidcRequest(ids[1], "chatgpt")).then().statusCode(201).extract().jsonPath();
        String id = created.getString("id");
        as(ACME_KEY).get("/api/v1/tenants/{t}/integrations/{id}/credentials", ids[0], id).then().statusCode(404);

        admin().get("/api/v1/tenants/{t}/integrations/{id}/credentials", ids[0], id).then().statusCode(200)
                .body("clientId", equalTo(created.getString("oidc.clientId")))
                .body("clientSecret", equalTo(fake.oauth2Providers().get(0).get("client_secret").asText()));

        String events = admin().get("/api/v1/tenants/{t}/integrations/{id}/events", ids[0], id).then().statusCode(200)
                .body("items.find { it.kind == 'audit' }.detail", equalTo("client credentials read"))
                .body("items.find { it.kind == 'audit' }.actor", equalTo("test-admin"))
                .extract().asString();
        assertFalse(events.contains(created.getString("oidc.clientSecret")), "events never carry the secret");
    }

    @ParameterizedTest
    @ValueSource(strings = {Fakes.LEGACY, Fakes.CURRENT})
    void rotationReplacesOnlyTheSecretAndHandsItOutOnce(String version) {
        FakeAuthentik fake = Fakes.of(version);
        String[] ids = tenantWithInstance("rotate", fake);
        JsonPath created = createIntegration(ids[0], oidcRequest(ids[1], "chatgpt")).then().statusCode(201).extract().jsonPath();
        String id = created.getString("id");
        finalise(ids[0], id, LOGIN_REDIRECT).then().statusCode(200);
        ObjectNode before = fake.oauth2Providers().get(0);
        fake.clearRequests();

        JsonPath rotated = admin().header("Idempotency-Key", "rotate-1").post("/api/v1/tenants/{t}/integrations/{id}/rotate-secret", ids[0], id)
                .then().statusCode(200)
                .body("clientId", equalTo(created.getString("oidc.clientId")))
                .body("clientSecret", matchesPattern("^[A-Za-z0-9]{128}$"))
                .body("notice", notNullValue())
                .extract().jsonPath();
        ObjectNode after = fake.oauth2Providers().get(0);
        assertNotEquals(created.getString("oidc.clientSecret"), after.get("client_secret").asText());
        assertEquals(rotated.getString("clientSecret"), after.get("client_secret").asText());
        ObjectNode unchanged = after.deepCopy();
        unchanged.put("client_secret", before.get("client_secret").asText());
        assertEquals(before, unchanged, "nothing but the secret changed");
        List<FakeAuthentik.RecordedRequest> patches = fake.requests().stream().filter(r -> r.method().equals("PATCH")).toList();
        assertEquals(1, patches.size());
        assertTrue(patches.get(0).body().matches("\\{\"client_secret\":\"[A-Za-z0-9]{128}\"}"), "PATCH only client_secret");

        admin().header("Idempotency-Key", "rotate-1").post("/api/v1/tenants/{t}/integrations/{id}/rotate-secret", ids[0], id)
                .then().statusCode(200).body("clientSecret", nullValue()).body("clientId", equalTo(created.getString("oidc.clientId")));
        assertEquals(rotated.getString("clientSecret"), fake.oauth2Providers().get(0).get("client_secret").asText(),
                "a repeated key does not rotate again");
        String events = admin().get("/api/v1/tenants/{t}/integrations/{id}/events?size=1000", ids[0], id).then().statusCode(200)
                .body("items.detail", hasItem("client secret rotated; ChatGPT must be given the new secret"))
                .extract().asString();
        assertFalse(events.contains(rotated.getString("clientSecret")));
    }

    @ParameterizedTest
    @ValueSource(strings = {Fakes.LEGACY, Fakes.CURRENT})
    void deleteRemovesOnlyWhatTheIntegrationMadeAndKeepsTheRecord(String version) {
        FakeAuthentik fake = Fakes.of(version);
        String[] ids = tenantWithInstance("delete", fake);
        String first = createIntegration(ids[0], oidcRequest(ids[1], "chatgpt-a")).then().statusCode(201).extract().path("id");
        String second = createIntegration(ids[0], oidcRequest(ids[1], "chatgpt-b")).then().statusCode(201).extract().path("id");
        int handMadeProvider = handMadeOidcProvider(fake, "made by hand");
        fake.putApplication(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                .put("name", "Wiki").put("slug", "wiki").put("provider", handMadeProvider));
        String profileMapping = OidcProvisioningTests.customMappings(fake).get(0).get("pk").asText();

        admin().delete("/api/v1/tenants/{t}/integrations/{id}", ids[0], first).then().statusCode(200)
                .body("status", equalTo("deleted")).body("deletedAt", notNullValue());
        assertTrue(fake.application("chatgpt-a").isEmpty());
        assertTrue(fake.application("wiki").isPresent(), "unrelated application untouched");
        assertTrue(fake.oauth2Provider(handMadeProvider).isPresent(), "unrelated provider untouched");
        assertTrue(fake.application("chatgpt-b").isPresent());
        assertTrue(fake.scopeMapping(profileMapping).isPresent(), "the profile mapping stays while the second integration uses it");
        assertEquals(2, fake.oauth2Providers().size());

        admin().get("/api/v1/tenants/{t}/integrations/{id}", ids[0], first).then().statusCode(200).body("status", equalTo("deleted"));
        admin().delete("/api/v1/tenants/{t}/integrations/{id}", ids[0], first).then().statusCode(200).body("status", equalTo("deleted"));

        admin().delete("/api/v1/tenants/{t}/integrations/{id}", ids[0], second).then().statusCode(200);
        assertTrue(fake.scopeMapping(profileMapping).isEmpty(), "the last user of the profile mapping takes it along");
        assertEquals(1, fake.oauth2Providers().size());
        // the slug is free again: a new integration can use it, and gets a fresh profile mapping
        createIntegration(ids[0], oidcRequest(ids[1], "chatgpt-a")).then().statusCode(201);
    }

    @Test
    void deleteLeavesARenamedOrReplacedApplicationThatIsNotOursAlone() {
        FakeAuthentik fake = Fakes.of(Fakes.CURRENT);
        String[] ids = tenantWithInstance("replaced", fake);
        String id = createIntegration(ids[0], oidcRequest(ids[1], "chatgpt")).then().statusCode(201).extract().path("id");
        fake.deleteApplication("chatgpt");
        fake.putApplication(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("name", "Someone else's").put("slug", "chatgpt"));
        admin().delete("/api/v1/tenants/{t}/integrations/{id}", ids[0], id).then().statusCode(200).body("status", equalTo("deleted"));
        assertEquals("Someone else's", fake.application("chatgpt").orElseThrow().get("name").asText());
        assertTrue(fake.oauth2Providers().isEmpty(), "our provider went");
    }

    @ParameterizedTest
    @ValueSource(strings = {Fakes.LEGACY, Fakes.CURRENT})
    void aHandMadeIntegrationIsAdoptedVerifiedAndOnlyReleasedOnDelete(String version) {
        FakeAuthentik fake = Fakes.of(version);
        String[] ids = tenantWithInstance("adopt", fake);
        int provider = handMadeOidcProvider(fake, "ChatGPT by hand");
        fake.putApplication(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                .put("name", "ChatGPT").put("slug", "chatgpt-hand").put("provider", provider));

        String id = admin().body(Map.of("instanceId", ids[1], "applicationSlug", "chatgpt-hand"))
                .post("/api/v1/tenants/{t}/integrations/adopt", ids[0]).then().statusCode(201)
                .body("integration.adopted", equalTo(true))
                .body("integration.protocol", equalTo("oidc"))
                .body("integration.status", equalTo("active"))
                .body("integration.authentik.providerPk", equalTo(provider))
                .body("verification.checks.find { it.id == 'provider' }.status", equalTo("pass"))
                .body("verification.checks.find { it.id == 'property-mappings' }.status", equalTo("fail"))
                .extract().path("integration.id");

        admin().body(Map.of("instanceId", ids[1], "applicationSlug", "chatgpt-hand"))
                .post("/api/v1/tenants/{t}/integrations/adopt", ids[0]).then().statusCode(409)
                .body("type", equalTo("/problems/integration-exists"));
        admin().body(Map.of("instanceId", ids[1], "applicationSlug", "nothing-here"))
                .post("/api/v1/tenants/{t}/integrations/adopt", ids[0]).then().statusCode(422)
                .body("errors[0].field", equalTo("applicationSlug"));

        fake.clearRequests();
        admin().delete("/api/v1/tenants/{t}/integrations/{id}", ids[0], id).then().statusCode(200).body("status", equalTo("deleted"));
        assertTrue(fake.application("chatgpt-hand").isPresent(), "adopted objects are released, never deleted");
        assertTrue(fake.oauth2Provider(provider).isPresent());
        assertEquals(0, fake.count("DELETE", ".*"));
    }

    @Test
    void aHandMadeSamlIntegrationCanBeAdopted() {
        FakeAuthentik fake = Fakes.of(Fakes.CURRENT);
        String[] ids = tenantWithInstance("adoptsaml", fake);
        String key = OidcProvisioningTests.keyPk(fake, "authentik Self-signed Certificate");
        int provider = fakeApi().body(Map.of("name", "ChatGPT SAML by hand",
                        "authorization_flow", OidcProvisioningTests.flowPk(fake, "default-provider-authorization-implicit-consent"),
                        "invalidation_flow", OidcProvisioningTests.flowPk(fake, "default-provider-invalidation-flow"),
                        "acs_url", "https://auth.openai.com/sso/saml/acs/conn_hand", "audience", "urn:openai:hand", "signing_kp", key))
                .post(fake.baseUrl() + "/api/v3/providers/saml/").then().statusCode(201).extract().path("pk");
        fake.putApplication(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                .put("name", "ChatGPT").put("slug", "chatgpt-saml-hand").put("provider", provider));
        admin().body(Map.of("applicationSlug", "chatgpt-saml-hand")).post("/api/v1/tenants/{t}/integrations/adopt", ids[0]).then()
                .statusCode(201)
                .body("integration.protocol", equalTo("saml"))
                .body("integration.status", equalTo("active"))
                .body("integration.saml.acsUrl", equalTo("https://auth.openai.com/sso/saml/acs/conn_hand"))
                .body("verification.checks.find { it.id == 'acs-url' }.status", equalTo("pass"))
                .body("verification.checks.find { it.id == 'name-id' }.status", equalTo("fail"));
    }

    @Test
    void eventsAreAnOrderedTrailOfCallsAndStateChangesWithoutSecrets() {
        FakeAuthentik fake = Fakes.of(Fakes.CURRENT);
        String[] ids = tenantWithInstance("events", fake);
        JsonPath created = createIntegration(ids[0], oidcRequest(ids[1], "chatgpt")).then().statusCode(201).extract().jsonPath();
        String id = created.getString("id");
        finalise(ids[0], id, LOGIN_REDIRECT).then().statusCode(200);
        admin().delete("/api/v1/tenants/{t}/integrations/{id}", ids[0], id).then().statusCode(200);

        JsonPath events = admin().get("/api/v1/tenants/{t}/integrations/{id}/events?size=1000", ids[0], id).then().statusCode(200)
                .extract().jsonPath();
        List<String> states = events.getList("items.findAll { it.kind == 'state-change' }.detail");
        assertEquals(List.of("provisioning", "awaiting_finalise", "active", "deleting", "deleted"), states);
        List<Integer> eventIds = events.getList("items.id");
        assertEquals(eventIds.stream().sorted().toList(), eventIds, "oldest first");
        assertTrue(events.getList("items.findAll { it.kind == 'authentik-call' }.method").containsAll(List.of("PUT", "PATCH", "DELETE")));
        assertTrue(events.getList("items.actor").stream().allMatch("test-admin"::equals));
        String raw = admin().get("/api/v1/tenants/{t}/integrations/{id}/events?size=1000", ids[0], id).then().extract().asString();
        assertFalse(raw.contains(created.getString("oidc.clientSecret")));
        assertFalse(raw.contains(FakeAuthentik.ADMIN_TOKEN));
        as(GLOBEX_KEY).get("/api/v1/tenants/{t}/integrations/{id}/events", ids[0], id).then().statusCode(404);
    }

    @Test
    void idempotencyKeysCoverFinaliseAndDelete() {
        FakeAuthentik fake = Fakes.of(Fakes.CURRENT);
        String[] ids = tenantWithInstance("idemops", fake);
        String id = createIntegration(ids[0], oidcRequest(ids[1], "chatgpt")).then().statusCode(201).extract().path("id");
        admin().header("Idempotency-Key", "fin-1").body(Map.of("loginRedirectUri", LOGIN_REDIRECT))
                .post("/api/v1/tenants/{t}/integrations/{id}/finalise", ids[0], id).then().statusCode(200).body("status", equalTo("active"));
        fake.clearRequests();
        admin().header("Idempotency-Key", "fin-1").body(Map.of("loginRedirectUri", LOGIN_REDIRECT))
                .post("/api/v1/tenants/{t}/integrations/{id}/finalise", ids[0], id).then().statusCode(200).body("status", equalTo("active"));
        admin().header("Idempotency-Key", "fin-1").body(Map.of("loginRedirectUri", LOGIN_REDIRECT + "x"))
                .post("/api/v1/tenants/{t}/integrations/{id}/finalise", ids[0], id).then().statusCode(422)
                .body("type", equalTo("/problems/idempotency-key-reused"));
        admin().header("Idempotency-Key", "fin-1").delete("/api/v1/tenants/{t}/integrations/{id}", ids[0], id).then().statusCode(422);
        assertEquals(0, fake.requests().size());

        admin().header("Idempotency-Key", "del-1").delete("/api/v1/tenants/{t}/integrations/{id}", ids[0], id).then().statusCode(200)
                .body("status", equalTo("deleted"));
        admin().header("Idempotency-Key", "del-1").delete("/api/v1/tenants/{t}/integrations/{id}", ids[0], id).then().statusCode(200)
                .body("status", equalTo("deleted"));
        // keys are per tenant: another tenant may use the same key for its own request
        String[] other = tenantWithInstance("idemother", fake);
        admin().header("Idempotency-Key", "del-1").body(oidcRequest(other[1], "chatgpt"))
                .post("/api/v1/tenants/{t}/integrations", other[0]).then().statusCode(201);
    }

    static io.restassured.specification.RequestSpecification fakeApi() {
        return RestAssured.given().header("Authorization", "Bearer " + FakeAuthentik.ADMIN_TOKEN).contentType(ContentType.JSON);
    }

    /** An OAuth2 provider an admin made by hand (through authentik's API, so with authentik's validation). */
    static int handMadeOidcProvider(FakeAuthentik fake, String name) {
        String openid = OidcProvisioningTests.managedPk(fake, "goauthentik.io/providers/oauth2/scope-openid");
        String email = OidcProvisioningTests.managedPk(fake, "goauthentik.io/providers/oauth2/scope-email");
        String profile = OidcProvisioningTests.managedPk(fake, "goauthentik.io/providers/oauth2/scope-profile");
        return fakeApi().body(Map.of("name", name,
                        "authorization_flow", OidcProvisioningTests.flowPk(fake, "default-provider-authorization-implicit-consent"),
                        "invalidation_flow", OidcProvisioningTests.flowPk(fake, "default-provider-invalidation-flow"),
                        "signing_key", OidcProvisioningTests.keyPk(fake, "authentik Self-signed Certificate"),
                        "property_mappings", List.of(openid, email, profile),
                        "redirect_uris", List.of(Map.of("matching_mode", "strict", "url", "https://auth.openai.com/sso/oidc/callback/hand"))))
                .post(fake.baseUrl() + "/api/v3/providers/oauth2/").then().statusCode(201).extract().path("pk");
    }
}
