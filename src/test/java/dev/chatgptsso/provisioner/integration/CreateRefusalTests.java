package dev.chatgptsso.provisioner.integration;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chatgptsso.provisioner.fakeauthentik.FakeAuthentik;
import dev.chatgptsso.provisioner.support.ApiTestSupport;
import dev.chatgptsso.provisioner.support.Fakes;
import io.quarkus.test.junit.QuarkusTest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every refused create answers with the right problem and leaves authentik untouched. */
@QuarkusTest
class CreateRefusalTests extends ApiTestSupport {

    static Stream<Arguments> invalidBodies() {
        return Stream.of(
                Arguments.of("{\"instanceId\":null,\"protocol\":\"oidc\"}", "application"),
                Arguments.of(body(Map.of("slug", "chat gpt")), "application.slug"),
                Arguments.of(body(Map.of("slug", "x".repeat(51))), "application.slug"),
                Arguments.of(body(Map.of("slug", "token")), "application.slug"),
                Arguments.of(body(Map.of("slug", "Authorize")), "application.slug"),
                Arguments.of(body(Map.of("policyEngineMode", "some")), "application.policyEngineMode"),
                Arguments.of(body(Map.of("name", "")), "application.name"),
                Arguments.of(body(Map.of("name", "Chat\u0000GPT")), "application.name"),
                Arguments.of(body(Map.of("name", "n".repeat(201))), "application.name"),
                Arguments.of("{\"protocol\":\"ldap\",\"application\":{\"name\":\"ChatGPT\",\"slug\":\"chatgpt\"}}", "protocol"),
                Arguments.of("{\"instanceId\":\"not-a-uuid\",\"application\":{\"name\":\"ChatGPT\",\"slug\":\"chatgpt\"}}", "instanceId"),
                Arguments.of("{\"instanceId\":\"" + UUID.randomUUID() + "\",\"application\":{\"name\":\"ChatGPT\",\"slug\":\"chatgpt\"}}", "instanceId"),
                Arguments.of("{\"application\":\"ChatGPT\"}", "application"),
                Arguments.of("{\"application\":{\"name\":\"ChatGPT\",\"slug\":\"chatgpt\"},\"signingKeyId\":42}", "signingKeyId"),
                Arguments.of("{\"application\":{\"name\":\"ChatGPT\",\"slug\":\"chatgpt\"},\"authorizationFlowSlug\":\"a b\"}", "authorizationFlowSlug"));
    }

    private static String body(Map<String, String> applicationOverrides) {
        Map<String, String> app = new HashMap<>(Map.of("name", "ChatGPT", "slug", "chatgpt", "policyEngineMode", "any"));
        app.putAll(applicationOverrides);
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ObjectNode application = root.putObject("application");
        app.forEach(application::put);
        return root.toString();
    }

    @ParameterizedTest
    @MethodSource("invalidBodies")
    void invalidBodiesAreRefusedNamingTheField(String json, String field) {
        FakeAuthentik fake = Fakes.of(Fakes.CURRENT);
        String[] ids = tenantWithInstance("invalid", fake);
        fake.clearRequests();
        admin().body(json).post("/api/v1/tenants/{t}/integrations", ids[0]).then()
                .statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("errors.field", hasItem(field));
        assertEquals(0, fake.requests().size(), "nothing may reach authentik");
        assertEquals(0, fake.objectCount());
        admin().get("/api/v1/tenants/{t}/integrations", ids[0]).then().body("total", equalTo(0));
    }

    @Test
    void malformedJsonIsAProblemWithoutEcho() {
        String[] ids = tenantWithInstance("json", Fakes.of(Fakes.CURRENT));
        admin().body("{\"application\": {\"name\": \"secret-looking-value\"").post("/api/v1/tenants/{t}/integrations", ids[0]).then()
                .statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("/problems/malformed-json"))
                .body("detail", not(org.hamcrest.Matchers.containsString("secret-looking-value")));
    }

    @Test
    void theInstanceMustBeNamedWhenTheTenantHasSeveral() {
        FakeAuthentik fake = Fakes.of(Fakes.CURRENT);
        String tenant = createTenant(uniqueTenantId("two"));
        admin().body("{\"application\":{\"name\":\"ChatGPT\",\"slug\":\"chatgpt\"}}").post("/api/v1/tenants/{t}/integrations", tenant)
                .then().statusCode(422).body("type", equalTo("/problems/instance-required"));
        registerInstance(ADMIN_KEY, tenant, fake, FakeAuthentik.ADMIN_TOKEN, "one").then().statusCode(201);
        registerInstance(ADMIN_KEY, tenant, fake, FakeAuthentik.ADMIN_TOKEN, "two").then().statusCode(201);
        admin().body("{\"application\":{\"name\":\"ChatGPT\",\"slug\":\"chatgpt\"}}").post("/api/v1/tenants/{t}/integrations", tenant)
                .then().statusCode(422).body("type", equalTo("/problems/instance-required")).body("errors[0].field", equalTo("instanceId"));
        assertEquals(0, fake.objectCount());
    }

    @Test
    void theOnlyInstanceIsUsedWhenNoneIsNamed() {
        FakeAuthentik fake = Fakes.of(Fakes.CURRENT);
        String[] ids = tenantWithInstance("one", fake);
        admin().body("{\"application\":{\"name\":\"ChatGPT\",\"slug\":\"chatgpt\"}}").post("/api/v1/tenants/{t}/integrations", ids[0])
                .then().statusCode(201).body("instanceId", equalTo(ids[1]));
    }

    static Stream<Arguments> missingPrerequisites() {
        return Stream.of(
                Arguments.of("{\"authorizationFlowSlug\":\"no-such-flow\"}", "authorizationFlowSlug"),
                Arguments.of("{\"authorizationFlowSlug\":\"default-provider-invalidation-flow\"}", "authorizationFlowSlug"),
                Arguments.of("{\"signingKeyId\":\"" + UUID.randomUUID() + "\"}", "signingKeyId"),
                Arguments.of("{\"signingKeyId\":\"@ed25519-only\"}", "signingKeyId"),
                Arguments.of("{\"signingKeyId\":\"@cert-without-key\"}", "signingKeyId"));
    }

    @ParameterizedTest
    @MethodSource("missingPrerequisites")
    void missingOrUnfitAuthentikObjectsAre422AndCreateNothing(String extra, String field) {
        FakeAuthentik fake = Fakes.of(Fakes.CURRENT);
        String[] ids = tenantWithInstance("prereq", fake);
        String resolved = extra;
        for (ObjectNode key : fake.certificateKeyPairs()) {
            resolved = resolved.replace("@" + key.get("name").asText(), key.get("pk").asText());
        }
        String json = resolved.replace("{", "{\"instanceId\":\"" + ids[1] + "\",\"application\":{\"name\":\"ChatGPT\",\"slug\":\"chatgpt\"},");
        String integrationId = admin().body(json).post("/api/v1/tenants/{t}/integrations", ids[0]).then()
                .statusCode(422).contentType("application/problem+json")
                .body("type", equalTo("/problems/authentik-prerequisite-missing"))
                .body("errors[0].field", equalTo(field))
                .extract().path("integrationId");
        assertTrue(fake.applications().isEmpty());
        assertTrue(fake.oauth2Providers().isEmpty());
        admin().get("/api/v1/tenants/{t}/integrations/{id}", ids[0], integrationId).then()
                .body("status", equalTo("failed")).body("failure.step", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void aSlugMadeByHandIsRefusedBeforeAnythingIsCreated() {
        FakeAuthentik fake = Fakes.of(Fakes.CURRENT);
        String[] ids = tenantWithInstance("taken", fake);
        ObjectNode handMade = JsonNodeFactory.instance.objectNode().put("name", "ChatGPT by hand").put("slug", "chatgpt");
        fake.putApplication(handMade);
        int before = fake.objectCount();

        createIntegration(ids[0], oidcRequest(ids[1], "chatgpt")).then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/application-slug-taken"))
                .body("errors[0].field", equalTo("application.slug"));
        // authentik's transactional create is atomic: refused on the slug, it wrote nothing; nothing else was sent
        assertEquals(List.of(), fake.requests().stream()
                .filter(r -> !r.method().equals("GET") && r.path().matches("/api/v3/(core|providers)/.*") && r.status() < 400)
                .toList());
        assertEquals("ChatGPT by hand", fake.application("chatgpt").orElseThrow().get("name").asText());
        assertTrue(fake.oauth2Providers().isEmpty());
        assertTrue(fake.objectCount() <= before + 1, "at most the instance's shared profile mapping was added");
    }

    @Test
    void aSecondLiveIntegrationForTheSameSlugIsAConflict() {
        FakeAuthentik fake = Fakes.of(Fakes.CURRENT);
        String[] ids = tenantWithInstance("dup", fake);
        String first = createIntegration(ids[0], oidcRequest(ids[1], "chatgpt")).then().statusCode(201).extract().path("id");
        fake.clearRequests();
        createIntegration(ids[0], oidcRequest(ids[1], "chatgpt")).then().statusCode(409)
                .body("type", equalTo("/problems/integration-exists"))
                .body("integrationId", equalTo(first));
        assertEquals(0, fake.requests().size());
        assertEquals(1, fake.applications().size());
    }

    @Test
    void theSameIdempotencyKeyReplaysTheFirstAnswerWithoutTheSecret() {
        FakeAuthentik fake = Fakes.of(Fakes.CURRENT);
        String[] ids = tenantWithInstance("idem", fake);
        Map<String, Object> body = oidcRequest(ids[1], "chatgpt");
        String id = admin().header("Idempotency-Key", "portal-42").body(body).post("/api/v1/tenants/{t}/integrations", ids[0])
                .then().statusCode(201).extract().path("id");
        fake.clearRequests();

        admin().header("Idempotency-Key", "portal-42").body(body).post("/api/v1/tenants/{t}/integrations", ids[0])
                .then().statusCode(201).body("id", equalTo(id)).body("oidc.clientSecret", nullValue());
        assertEquals(0, fake.requests().size());

        admin().header("Idempotency-Key", "portal-42").body(oidcRequest(ids[1], "other")).post("/api/v1/tenants/{t}/integrations", ids[0])
                .then().statusCode(422).body("type", equalTo("/problems/idempotency-key-reused"));
        assertEquals(List.of(), fake.requests());
    }
}
