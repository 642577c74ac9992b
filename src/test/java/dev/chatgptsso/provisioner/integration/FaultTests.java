package dev.chatgptsso.provisioner.integration;

import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatgptsso.provisioner.fakeauthentik.FakeAuthentik;
import dev.chatgptsso.provisioner.fakeauthentik.FakeAuthentik.Fault;
import dev.chatgptsso.provisioner.support.ApiTestSupport;
import dev.chatgptsso.provisioner.support.Fakes;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A fault at every authentik call of create and finalise: afterwards no authentik object is left
 * over, the record is in a clean end state, and a retry succeeds. The read timeout in tests is 1 s.
 */
@QuarkusTest
class FaultTests extends ApiTestSupport {
    private static final String LOGIN_REDIRECT = "https://auth.openai.com/sso/oidc/callback/conn_fault";
    private static final List<String> COVERED = new ArrayList<>();

    record Point(String name, String method, String pathRegex, int nth) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final List<Point> CREATE_POINTS = List.of(
            new Point("resolve authorization flow", "GET", "/api/v3/flows/instances/default-provider-authorization-implicit-consent/", 1),
            new Point("resolve signing key", "GET", "/api/v3/crypto/certificatekeypairs/", 1),
            new Point("resolve managed mappings", "GET", "/api/v3/propertymappings/provider/scope/", 1),
            new Point("create profile mapping", "POST", "/api/v3/propertymappings/provider/scope/", 1),
            new Point("check slug", "GET", "/api/v3/core/applications/chatgpt/", 1),
            new Point("create application and provider", "PUT", "/api/v3/core/transactional/applications/", 1),
            new Point("read back application", "GET", "/api/v3/core/applications/chatgpt/", 2),
            new Point("read back provider", "GET", "/api/v3/providers/oauth2/\\d+/", 1));

    static Stream<Arguments> createFaults() {
        List<Arguments> cases = new ArrayList<>();
        for (String version : List.of(Fakes.LEGACY, Fakes.CURRENT)) {
            for (Point point : CREATE_POINTS) {
                cases.add(Arguments.of(version, point, "500"));
                cases.add(Arguments.of(version, point, "drop"));
                cases.add(Arguments.of(version, point, "timeout"));
                if (!point.method().equals("GET")) {
                    cases.add(Arguments.of(version, point, "drop after write"));
                    cases.add(Arguments.of(version, point, "500 after write"));
                }
            }
        }
        return cases.stream();
    }

    private static Fault fault(String kind) {
        return switch (kind) {
            case "500" -> Fault.status(500);
            case "drop" -> Fault.drop();
            case "timeout" -> Fault.delay(1500);
            case "drop after write" -> Fault.afterWrite(Fault.drop());
            case "500 after write" -> Fault.afterWrite(Fault.status(500));
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @ParameterizedTest(name = "{0}: {2} at {1}")
    @MethodSource("createFaults")
    void aFaultDuringCreateLeavesNothingBehindAndARetrySucceeds(String version, Point point, String kind) throws Exception {
        FakeAuthentik fake = Fakes.of(version);
        String[] ids = tenantWithInstance("fault", fake);
        fake.injectFault(point.method(), point.pathRegex(), point.nth(), fault(kind));

        Response failed = createIntegration(ids[0], oidcRequest(ids[1], "chatgpt"));
        failed.then().statusCode(anyOf(equalTo(502), equalTo(504)))
                .contentType("application/problem+json")
                .body("type", startsWith("/problems/authentik-"))
                .body("step", notNullValue())
                .body("integrationId", notNullValue());
        String failedId = failed.path("integrationId");
        Thread.sleep(kind.equals("timeout") ? 700 : 0); // let a delayed write land before looking
        admin().get("/api/v1/tenants/{t}/integrations/{id}", ids[0], failedId).then()
                .body("status", equalTo("failed"))
                .body("failure.step", notNullValue());

        assertTrue(fake.applications().isEmpty(), "no application may be left: " + fake.applications());
        assertTrue(fake.oauth2Providers().isEmpty(), "no provider may be left: " + fake.oauth2Providers());
        assertTrue(OidcProvisioningTests.customMappings(fake).size() <= 1, "at most the instance's one shared profile mapping");

        createIntegration(ids[0], oidcRequest(ids[1], "chatgpt")).then().statusCode(201).body("status", equalTo("awaiting_finalise"));
        assertEquals(1, fake.applications().size());
        assertEquals(1, fake.oauth2Providers().size());
        synchronized (COVERED) {
            COVERED.add(version + " create " + point + " " + kind);
        }
    }

    static Stream<Arguments> finaliseFaults() {
        List<Arguments> cases = new ArrayList<>();
        for (String version : List.of(Fakes.LEGACY, Fakes.CURRENT)) {
            for (String kind : List.of("500", "drop", "timeout", "drop after write", "500 after write")) {
                cases.add(Arguments.of(version, new Point("write redirect URI", "PATCH", "/api/v3/providers/oauth2/\\d+/", 1), kind));
            }
            for (String kind : List.of("500", "drop", "timeout")) {
                cases.add(Arguments.of(version, new Point("read back redirect URI", "GET", "/api/v3/providers/oauth2/\\d+/", 1), kind));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: {2} at {1}")
    @MethodSource("finaliseFaults")
    void aFaultDuringFinaliseKeepsTheIntegrationFinalisable(String version, Point point, String kind) throws Exception {
        FakeAuthentik fake = Fakes.of(version);
        String[] ids = tenantWithInstance("ffault", fake);
        String id = createIntegration(ids[0], oidcRequest(ids[1], "chatgpt")).then().statusCode(201).extract().path("id");
        fake.injectFault(point.method(), point.pathRegex(), point.nth(), fault(kind));

        finalise(ids[0], id, LOGIN_REDIRECT).then().statusCode(anyOf(equalTo(502), equalTo(504)))
                .contentType("application/problem+json").body("step", notNullValue());
        Thread.sleep(kind.equals("timeout") ? 700 : 0);
        admin().get("/api/v1/tenants/{t}/integrations/{id}", ids[0], id).then().body("status", equalTo("awaiting_finalise"));

        finalise(ids[0], id, LOGIN_REDIRECT).then().statusCode(200).body("status", equalTo("active"));
        int providerPk = fake.oauth2Providers().get(0).get("pk").asInt();
        assertEquals(1, fake.oauth2Provider(providerPk).orElseThrow().get("redirect_uris").size());
        assertEquals(1, fake.applications().size());
        synchronized (COVERED) {
            COVERED.add(version + " finalise " + point + " " + kind);
        }
    }

    @AfterAll
    static void printMatrix() {
        System.out.println("[fault matrix] " + COVERED.size() + " fault points passed (create and finalise x {500, drop, timeout, lost answer after write} x 2 API generations)");
    }
}
