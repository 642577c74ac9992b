package dev.chatgptsso.provisioner.integration;

import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatgptsso.provisioner.fakeauthentik.FakeAuthentik;
import dev.chatgptsso.provisioner.fakeauthentik.FakeAuthentik.Fault;
import dev.chatgptsso.provisioner.instance.InstanceCatalog;
import dev.chatgptsso.provisioner.support.ApiTestSupport;
import dev.chatgptsso.provisioner.support.Fakes;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fault matrix: a fault (500, dropped connection, read timeout; for writes also "done, but the
 * answer was lost") at every authentik call of create, finalise, rotate-secret and delete, on both
 * API generations. Afterwards no authentik object is orphaned, the record is in a clean state, and
 * a retry of the same request succeeds. Reads (and deletes) are retried by the client, so their
 * faults are armed for every attempt. The read timeout in tests is 1 s.
 */
@QuarkusTest
class FaultTests extends ApiTestSupport {
    private static final String LOGIN_REDIRECT = "https://auth.openai.com/sso/oidc/callback/conn_fault";
    private static final int ATTEMPTS_PER_SAFE_CALL = 2; // %test.provisioner.authentik.retries=1
    private static final List<String> COVERED = new ArrayList<>();

    @Inject
    InstanceCatalog catalog;

    enum Operation { CREATE, FINALISE, ROTATE, DELETE }

    record Point(Operation operation, String method, String pathRegex) {
        boolean safeToRepeat() {
            return method.equals("GET") || method.equals("DELETE");
        }

        @Override
        public String toString() {
            return operation + " " + method + " " + pathRegex;
        }
    }

    static final String PROVIDER = "/api/v3/providers/oauth2/\\d+/";

    static final List<Point> POINTS = List.of(
            new Point(Operation.CREATE, "GET", "/api/v3/admin/version/"),
            new Point(Operation.CREATE, "GET", "/api/v3/flows/instances/default-provider-authorization-implicit-consent/"),
            new Point(Operation.CREATE, "GET", "/api/v3/flows/instances/default-provider-invalidation-flow/"),
            new Point(Operation.CREATE, "GET", "/api/v3/crypto/certificatekeypairs/"),
            new Point(Operation.CREATE, "GET", "/api/v3/propertymappings/provider/scope/"),
            new Point(Operation.CREATE, "POST", "/api/v3/propertymappings/provider/scope/"),
            new Point(Operation.CREATE, "PUT", "/api/v3/core/transactional/applications/"),
            new Point(Operation.CREATE, "GET", "/api/v3/core/applications/chatgpt/"),
            new Point(Operation.CREATE, "GET", "/api/v3/providers/oauth2/"),
            new Point(Operation.FINALISE, "PATCH", PROVIDER),
            new Point(Operation.FINALISE, "GET", PROVIDER),
            new Point(Operation.ROTATE, "PATCH", PROVIDER),
            new Point(Operation.ROTATE, "GET", PROVIDER),
            new Point(Operation.DELETE, "GET", PROVIDER),
            new Point(Operation.DELETE, "GET", "/api/v3/core/applications/chatgpt/"),
            new Point(Operation.DELETE, "DELETE", "/api/v3/core/applications/chatgpt/"),
            new Point(Operation.DELETE, "DELETE", PROVIDER),
            new Point(Operation.DELETE, "GET", "/api/v3/propertymappings/provider/scope/[0-9a-f-]+/used_by/"),
            new Point(Operation.DELETE, "DELETE", "/api/v3/propertymappings/provider/scope/[0-9a-f-]+/"));

    static Stream<Arguments> matrix() {
        List<Arguments> cases = new ArrayList<>();
        for (String version : List.of(Fakes.LEGACY, Fakes.CURRENT)) {
            for (Point point : POINTS) {
                for (String kind : List.of("500", "drop", "timeout")) {
                    cases.add(Arguments.of(version, point, kind));
                }
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
    @MethodSource("matrix")
    void aFaultLeavesACleanStateAndARetrySucceeds(String version, Point point, String kind) throws Exception {
        FakeAuthentik fake = Fakes.of(version);
        String[] ids = tenantWithInstance("fault", fake);
        String tenant = ids[0];
        String integrationId = null;
        if (point.operation() != Operation.CREATE) {
            integrationId = createIntegration(tenant, oidcRequest(ids[1], "chatgpt")).then().statusCode(201).extract().path("id");
            if (point.operation() == Operation.DELETE) {
                finalise(tenant, integrationId, LOGIN_REDIRECT).then().statusCode(200);
            }
        } else {
            catalog.invalidate(UUID.fromString(ids[1])); // a cold create: every lookup goes to authentik
        }
        int arms = point.safeToRepeat() && !kind.contains("after write") ? ATTEMPTS_PER_SAFE_CALL : 1;
        for (int i = 0; i < arms; i++) {
            fake.injectFault(point.method(), point.pathRegex(), 1, fault(kind));
        }
        String id = integrationId;
        Supplier<Response> operation = switch (point.operation()) {
            case CREATE -> () -> createIntegration(tenant, oidcRequest(ids[1], "chatgpt"));
            case FINALISE -> () -> finalise(tenant, id, LOGIN_REDIRECT);
            case ROTATE -> () -> admin().post("/api/v1/tenants/{t}/integrations/{id}/rotate-secret", tenant, id);
            case DELETE -> () -> admin().delete("/api/v1/tenants/{t}/integrations/{id}", tenant, id);
        };

        Response first = operation.get();
        if (first.statusCode() >= 300) {
            first.then().statusCode(anyOf(equalTo(502), equalTo(504))).contentType("application/problem+json")
                    .body("type", startsWith("/problems/authentik-")).body("step", notNullValue()).body("integrationId", notNullValue());
            Thread.sleep(kind.equals("timeout") ? 700 : 0); // let a delayed write land before looking
            String failedId = first.path("integrationId");
            String status = admin().get("/api/v1/tenants/{t}/integrations/{id}", tenant, failedId).then().extract().path("status");
            assertEquals(switch (point.operation()) {
                case CREATE -> "failed";
                case FINALISE, ROTATE -> "awaiting_finalise";
                case DELETE -> "deleting";
            }, status, "the record is left in a clean, retryable state");
            if (point.operation() == Operation.CREATE) {
                assertTrue(fake.applications().isEmpty(), "no application may be left: " + fake.applications());
                assertTrue(fake.oauth2Providers().isEmpty(), "no provider may be left: " + fake.oauth2Providers());
                assertTrue(OidcProvisioningTests.customMappings(fake).size() <= 1, "at most the instance's one shared profile mapping");
            }
            Response retry = operation.get();
            retry.then().statusCode(point.operation() == Operation.CREATE ? 201 : 200);
            integrationId = point.operation() == Operation.CREATE ? retry.path("id") : integrationId;
            assertEndState(fake, point.operation(), retry);
        } else {
            // a fault on a call that is safe to repeat can be absorbed by the client's retry
            integrationId = point.operation() == Operation.CREATE ? first.path("id") : integrationId;
            assertEndState(fake, point.operation(), first);
        }
        synchronized (COVERED) {
            COVERED.add(version + " " + point + " " + kind);
        }
    }

    private static void assertEndState(FakeAuthentik fake, Operation operation, Response answer) {
        switch (operation) {
            case CREATE, FINALISE -> {
                assertEquals(1, fake.applications().size());
                assertEquals(1, fake.oauth2Providers().size());
                assertEquals(operation == Operation.CREATE ? "awaiting_finalise" : "active", answer.path("status"));
                if (operation == Operation.FINALISE) {
                    assertEquals(LOGIN_REDIRECT, fake.oauth2Providers().get(0).get("redirect_uris").get(0).get("url").asText());
                    assertEquals(1, fake.oauth2Providers().get(0).get("redirect_uris").size());
                }
            }
            case ROTATE -> assertEquals(answer.path("clientSecret"), fake.oauth2Providers().get(0).get("client_secret").asText(),
                    "authentik holds the secret that was handed out");
            case DELETE -> {
                assertEquals("deleted", answer.path("status"));
                assertTrue(fake.applications().isEmpty());
                assertTrue(fake.oauth2Providers().isEmpty());
                assertTrue(OidcProvisioningTests.customMappings(fake).isEmpty(), "the unused profile mapping goes too");
            }
        }
    }

    @AfterAll
    static void printMatrix() {
        System.out.println("[fault matrix] " + COVERED.size() + " fault points passed: create, finalise, rotate-secret and delete x "
                + "every authentik call x {500, dropped connection, read timeout, and for writes: answer lost after the write} x 2 API generations");
    }
}
