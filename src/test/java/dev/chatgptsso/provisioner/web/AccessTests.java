package dev.chatgptsso.provisioner.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import dev.chatgptsso.provisioner.fakeauthentik.FakeAuthentik;
import dev.chatgptsso.provisioner.support.ApiTestSupport;
import dev.chatgptsso.provisioner.support.Fakes;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** API keys: 401 without a valid one; tenant keys see only their tenant (404 for everything else). */
@QuarkusTest
class AccessTests extends ApiTestSupport {

    @ParameterizedTest
    @ValueSource(strings = {"", "Bearer", "Bearer ", "Bearer wrong-key", "Basic dGVzdC1hZG1pbi1rZXk6", "test-admin-key"})
    void missingOrWrongKeysGet401Problems(String header) {
        var request = given();
        if (!header.isEmpty()) {
            request = request.header("Authorization", header);
        }
        request.get("/api/v1/tenants").then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer")
                .body("type", equalTo("/problems/unauthorized"))
                .body("status", equalTo(401));
    }

    @Test
    void unknownPathsAreProblemsToo() {
        admin().get("/api/v1/nothing-here").then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("/problems/not-found"));
        admin().delete("/api/v1/tenants").then().statusCode(405).contentType("application/problem+json");
    }

    @Test
    void tenantKeysSeeOnlyTheirTenant() {
        FakeAuthentik fake = Fakes.of(Fakes.CURRENT);
        createTenantIfAbsent("acme");
        createTenantIfAbsent("globex");
        String acmeInstance = registerInstance(ADMIN_KEY, "acme", fake, FakeAuthentik.ADMIN_TOKEN, "acme-" + System.nanoTime())
                .then().statusCode(201).extract().path("id");
        String globexInstance = registerInstance(ADMIN_KEY, "globex", fake, FakeAuthentik.ADMIN_TOKEN, "globex-" + System.nanoTime())
                .then().statusCode(201).extract().path("id");
        String globexIntegration = createIntegration("globex", oidcRequest(globexInstance, "globex-chatgpt-" + System.nanoTime() % 100000))
                .then().statusCode(201).extract().path("id");

        as(ACME_KEY).get("/api/v1/tenants").then().statusCode(200).body("id", contains("acme"));
        as(ACME_KEY).get("/api/v1/tenants/acme").then().statusCode(200);
        as(ACME_KEY).get("/api/v1/tenants/acme/instances/{id}", acmeInstance).then().statusCode(200);

        // another tenant's everything: 404, exactly like something that does not exist
        as(ACME_KEY).get("/api/v1/tenants/globex").then().statusCode(404).body("type", equalTo("/problems/not-found"));
        as(ACME_KEY).get("/api/v1/tenants/globex/instances").then().statusCode(404);
        as(ACME_KEY).get("/api/v1/tenants/globex/instances/{id}", globexInstance).then().statusCode(404);
        as(ACME_KEY).get("/api/v1/tenants/globex/integrations").then().statusCode(404);
        as(ACME_KEY).get("/api/v1/tenants/globex/integrations/{id}", globexIntegration).then().statusCode(404);
        as(ACME_KEY).body(Map.of("loginRedirectUri", "https://x.example/cb"))
                .post("/api/v1/tenants/globex/integrations/{id}/finalise", globexIntegration).then().statusCode(404);
        as(ACME_KEY).body(oidcRequest(globexInstance, "sneaky")).post("/api/v1/tenants/globex/integrations").then().statusCode(404);
        as(ACME_KEY).get("/api/v1/tenants/globex/instances/{id}/health", globexInstance).then().statusCode(404);
        as(ACME_KEY).get("/api/v1/tenants/globex/integrations/{id}/credentials", globexIntegration).then().statusCode(404);
        as(ACME_KEY).post("/api/v1/tenants/globex/integrations/{id}/rotate-secret", globexIntegration).then().statusCode(404);
        as(ACME_KEY).post("/api/v1/tenants/globex/integrations/{id}/verify", globexIntegration).then().statusCode(404);
        as(ACME_KEY).get("/api/v1/tenants/globex/integrations/{id}/events", globexIntegration).then().statusCode(404);
        as(ACME_KEY).delete("/api/v1/tenants/globex/integrations/{id}", globexIntegration).then().statusCode(404);
        as(ACME_KEY).body(Map.of("instanceId", globexInstance, "applicationSlug", "globex-chatgpt"))
                .post("/api/v1/tenants/globex/integrations/adopt").then().statusCode(404);
        for (String path : new String[] {"credentials", "events"}) {
            as(ACME_KEY).get("/api/v1/tenants/acme/integrations/{id}/" + path, globexIntegration).then().statusCode(404);
        }
        as(ACME_KEY).post("/api/v1/tenants/acme/integrations/{id}/rotate-secret", globexIntegration).then().statusCode(404);
        as(ACME_KEY).delete("/api/v1/tenants/acme/integrations/{id}", globexIntegration).then().statusCode(404);
        as(ACME_KEY).post("/api/v1/admin/tokens/re-encrypt").then().statusCode(403);
        admin().get("/api/v1/tenants/globex/integrations/{id}", globexIntegration).then().statusCode(200).body("status", equalTo("awaiting_finalise"));
        // ids of another tenant under one's own tenant are unknown ids too
        as(ACME_KEY).get("/api/v1/tenants/acme/instances/{id}", globexInstance).then().statusCode(404);
        as(ACME_KEY).get("/api/v1/tenants/acme/integrations/{id}", globexIntegration).then().statusCode(404);
        as(ACME_KEY).body(oidcRequest(globexInstance, "sneaky")).post("/api/v1/tenants/acme/integrations").then().statusCode(400)
                .body("errors[0].field", equalTo("instanceId"));

        // tenant keys cannot create tenants; admin keys see all
        as(ACME_KEY).body(Map.of("id", "newco", "displayName", "NewCo")).post("/api/v1/tenants").then().statusCode(403)
                .body("type", equalTo("/problems/forbidden"));
        admin().get("/api/v1/tenants").then().statusCode(200).body("id", hasItems("acme", "globex"));
        admin().get("/api/v1/tenants/globex/integrations/{id}", globexIntegration).then().statusCode(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-a-uuid", "00000000-0000-0000-0000-000000000000", "%27%20or%201=1--"})
    void malformedOrUnknownIdsAre404(String id) {
        createTenantIfAbsent("acme");
        admin().get("/api/v1/tenants/acme/integrations/" + id).then().statusCode(404).contentType("application/problem+json");
        admin().get("/api/v1/tenants/acme/instances/" + id).then().statusCode(404).contentType("application/problem+json");
        admin().get("/api/v1/tenants/" + id).then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void listParametersAreValidated() {
        createTenantIfAbsent("acme");
        admin().get("/api/v1/tenants/acme/integrations?status=bogus").then().statusCode(400).body("errors[0].field", equalTo("status"));
        admin().get("/api/v1/tenants/acme/integrations?size=0").then().statusCode(400).body("errors[0].field", equalTo("size"));
        admin().get("/api/v1/tenants/acme/integrations?size=101").then().statusCode(400).body("errors[0].field", equalTo("size"));
        admin().get("/api/v1/tenants/acme/integrations?page=0").then().statusCode(400).body("errors[0].field", equalTo("page"));
        admin().get("/api/v1/tenants/acme/integrations?page=abc").then().statusCode(400).body("errors[0].field", equalTo("page"));
    }

    private static void createTenantIfAbsent(String id) {
        int status = admin().get("/api/v1/tenants/{t}", id).statusCode();
        if (status == 404) {
            admin().body(Map.of("id", id, "displayName", id)).post("/api/v1/tenants").then().statusCode(201);
        }
    }
}
