package dev.chatgptsso.provisioner.instance;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatgptsso.provisioner.fakeauthentik.FakeAuthentik;
import dev.chatgptsso.provisioner.support.ApiTestSupport;
import dev.chatgptsso.provisioner.support.Fakes;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import dev.chatgptsso.provisioner.Database;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
class InstanceResourceTests extends ApiTestSupport {

    @Inject
    Database database;

    @ParameterizedTest
    @ValueSource(strings = {Fakes.LEGACY, Fakes.CURRENT})
    void registeringChecksAuthentikAndNeverReturnsTheToken(String version) {
        FakeAuthentik fake = Fakes.of(version);
        String tenant = createTenant(uniqueTenantId("inst"));
        String body = registerInstance(ADMIN_KEY, tenant, fake, FakeAuthentik.ADMIN_TOKEN, "production").then()
                .statusCode(201)
                .header("Location", containsString("/api/v1/tenants/" + tenant + "/instances/"))
                .body("name", equalTo("production"))
                .body("baseUrl", equalTo(fake.baseUrl()))
                .body("version", equalTo(version))
                .body("status", equalTo("ready"))
                .body("checkedAt", notNullValue())
                .body("$", not(org.hamcrest.Matchers.hasKey("apiToken")))
                .extract().asString();
        assertFalse(body.contains(FakeAuthentik.ADMIN_TOKEN));
        assertTrue(fake.count("GET", "/api/v3/admin/version/") >= 1);

        String checkedAt = io.restassured.path.json.JsonPath.from(body).getString("checkedAt");
        String list = admin().get("/api/v1/tenants/{t}/instances", tenant).then().statusCode(200)
                .body("$", hasSize(1)).body("name", hasItem("production"))
                .body("[0].checkedAt", equalTo(checkedAt)).extract().asString();
        assertFalse(list.contains(FakeAuthentik.ADMIN_TOKEN));

        String stored = database.first("select api_token_ciphertext from authentik_instance where tenant_id = ?", row -> row.getString(1),
                tenant).orElseThrow();
        assertTrue(stored.startsWith("v2:default:"), stored.substring(0, 12));
        assertFalse(stored.contains(FakeAuthentik.ADMIN_TOKEN), "the token is stored encrypted");
    }

    @Test
    void anUnreachableInstanceIs502() throws Exception {
        int freePort;
        try (ServerSocket socket = new ServerSocket(0)) {
            freePort = socket.getLocalPort();
        }
        String tenant = createTenant(uniqueTenantId("unreach"));
        admin().body(Map.of("name", "gone", "baseUrl", "http://127.0.0.1:" + freePort, "apiToken", "whatever-token"))
                .post("/api/v1/tenants/{t}/instances", tenant).then().statusCode(502)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/authentik-unreachable"))
                .body(not(containsString("whatever-token")));
        admin().get("/api/v1/tenants/{t}/instances", tenant).then().body("$", hasSize(0));
    }

    @Test
    void aRejectedTokenIs422AndNotEchoed() {
        String tenant = createTenant(uniqueTenantId("badtoken"));
        registerInstance(ADMIN_KEY, tenant, Fakes.of(Fakes.CURRENT), "definitely-not-a-valid-token", "production").then()
                .statusCode(422).contentType("application/problem+json")
                .body("type", equalTo("/problems/authentik-token-rejected"))
                .body(not(containsString("definitely-not-a-valid-token")));
    }

    @Test
    void aTokenWithoutPermissionsIs422ListingWhatIsMissing() {
        String tenant = createTenant(uniqueTenantId("limited"));
        registerInstance(ADMIN_KEY, tenant, Fakes.of(Fakes.CURRENT), FakeAuthentik.LIMITED_TOKEN, "production").then()
                .statusCode(422)
                .body("type", equalTo("/problems/authentik-permissions-insufficient"))
                .body("missingPermissions", hasItem("authentik_providers_oauth2.add_oauth2provider"));
    }

    @Test
    void versionsOlderThan2024_12AreRefused() {
        FakeAuthentik fake = Fakes.of(Fakes.CURRENT);
        String tenant = createTenant(uniqueTenantId("old"));
        fake.reportVersion("2024.10.4");
        try {
            registerInstance(ADMIN_KEY, tenant, fake, FakeAuthentik.ADMIN_TOKEN, "production").then()
                    .statusCode(422)
                    .body("type", equalTo("/problems/authentik-version-unsupported"))
                    .body("version", equalTo("2024.10.4"));
        } finally {
            fake.setVersion(Fakes.CURRENT);
        }
    }

    @Test
    void namesAreUniquePerTenant() {
        FakeAuthentik fake = Fakes.of(Fakes.CURRENT);
        String tenant = createTenant(uniqueTenantId("names"));
        registerInstance(ADMIN_KEY, tenant, fake, FakeAuthentik.ADMIN_TOKEN, "production").then().statusCode(201);
        registerInstance(ADMIN_KEY, tenant, fake, FakeAuthentik.ADMIN_TOKEN, "production").then().statusCode(409)
                .body("type", equalTo("/problems/instance-exists"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"not a url", "ftp://auth.example", "https://user:pw@auth.example", "https://auth.example/?x=1", "https://", "auth.example"})
    void invalidBaseUrlsAreRefusedNamingTheField(String url) {
        String tenant = createTenant(uniqueTenantId("url"));
        admin().body(Map.of("name", "production", "baseUrl", url, "apiToken", "t0ken"))
                .post("/api/v1/tenants/{t}/instances", tenant).then().statusCode(400)
                .body("errors[0].field", equalTo("baseUrl"));
    }

    @Test
    void requiredFieldsAreNamed() {
        String tenant = createTenant(uniqueTenantId("req"));
        admin().body("{}").post("/api/v1/tenants/{t}/instances", tenant).then().statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.containsInAnyOrder("apiToken", "baseUrl", "name"));
        admin().body(Map.of("name", "p", "baseUrl", "https://auth.example", "apiToken", "has space"))
                .post("/api/v1/tenants/{t}/instances", tenant).then().statusCode(400)
                .body("errors[0].field", equalTo("apiToken")).body(not(containsString("has space")));
    }
}
