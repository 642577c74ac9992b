package dev.chatgptsso.provisioner.support;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chatgptsso.provisioner.fakeauthentik.FakeAuthentik;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** Shared helpers for API tests: keys, tenant and instance set-up, and the fake authentik's schema check. */
public abstract class ApiTestSupport {
    public static final String ADMIN_KEY = "test-admin-key";
    public static final String ACME_KEY = "test-acme-key";
    public static final String GLOBEX_KEY = "test-globex-key";

    @BeforeAll
    static void restAssured() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    @BeforeEach
    void resetFakes() {
        for (FakeAuthentik fake : Fakes.all()) {
            fake.reset();
        }
    }

    /**
     * Every request the service sent to any fake authentik matched authentik's published schema, and so did every
     * answer the fake gave (the fake cannot drift from what real authentik returns).
     */
    @AfterEach
    void noSchemaViolations() {
        for (FakeAuthentik fake : Fakes.all()) {
            List<String> violations = fake.schemaViolations();
            assertEquals(List.of(), violations, "requests to fake authentik " + fake.version() + " violated its OpenAPI schema");
            List<String> answers = fake.responseViolations();
            assertEquals(List.of(), answers, "answers of fake authentik " + fake.version() + " violated its OpenAPI schema");
        }
    }

    /** The Prometheus exposition of {@code /q/metrics}. */
    protected static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The sum of the samples of {@code name} whose labels contain all of {@code labels}; -1 when there is none. */
    protected static double sample(String metrics, String name, String... labels) {
        double total = 0;
        boolean found = false;
        for (String line : metrics.split("\n")) {
            if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) continue;
            boolean all = true;
            for (String label : labels) all &= line.contains(label);
            if (all) {
                found = true;
                int labelsEnd = line.indexOf("\"} "); // label values may hold braces ({pk}); the set ends at a quote and brace
                String afterLabels = labelsEnd >= 0 ? line.substring(labelsEnd + 2) : line.substring(name.length());
                total += Double.parseDouble(afterLabels.trim().split(" ")[0]); // an exemplar may follow the value
            }
        }
        return found ? total : -1;
    }

    protected static RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON).accept(ContentType.JSON);
    }

    protected static RequestSpecification admin() {
        return as(ADMIN_KEY);
    }

    protected static String uniqueTenantId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    protected static String createTenant(String id) {
        admin().body(Map.of("id", id, "displayName", "Tenant " + id)).post("/api/v1/tenants").then().statusCode(201);
        return id;
    }

    protected static Response registerInstance(String key, String tenantId, FakeAuthentik fake, String token, String name) {
        return as(key).body(Map.of("name", name, "baseUrl", fake.baseUrl(), "apiToken", token, "verifyTls", true))
                .post("/api/v1/tenants/{t}/instances", tenantId);
    }

    /** A fresh tenant with one registered instance on {@code fake}; returns {tenantId, instanceId}. */
    protected static String[] tenantWithInstance(String prefix, FakeAuthentik fake) {
        String tenant = createTenant(uniqueTenantId(prefix));
        String instanceId = registerInstance(ADMIN_KEY, tenant, fake, FakeAuthentik.ADMIN_TOKEN, "production")
                .then().statusCode(201).extract().path("id");
        return new String[] {tenant, instanceId};
    }

    protected static Map<String, Object> oidcRequest(String instanceId, String slug) {
        return Map.of("instanceId", instanceId, "protocol", "oidc",
                "application", Map.of("name", "ChatGPT", "slug", slug, "group", "AI", "policyEngineMode", "any"));
    }

    protected static Response createIntegration(String tenantId, Map<String, Object> body) {
        return admin().body(body).post("/api/v1/tenants/{t}/integrations", tenantId);
    }

    protected static Response finalise(String tenantId, String integrationId, String uri) {
        return admin().body(Map.of("loginRedirectUri", uri)).post("/api/v1/tenants/{t}/integrations/{id}/finalise", tenantId, integrationId);
    }
}
