package dev.chatgptsso.provisioner.authentik;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatgptsso.provisioner.fakeauthentik.FakeAuthentik;
import dev.chatgptsso.provisioner.fakeauthentik.FakeAuthentik.Fault;
import dev.chatgptsso.provisioner.fakeauthentik.FakeAuthentik.TimedRequest;
import dev.chatgptsso.provisioner.support.ApiTestSupport;
import dev.chatgptsso.provisioner.support.Fakes;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The authentik client's fault tolerance: a throttled call (429) is repeated after authentik's
 * {@code Retry-After}, also when it is a write (authentik did not act on it); one instance that keeps
 * failing opens its own circuit breaker and is then not called at all, while another instance on
 * another authentik is served as usual; the calls it refuses show in the call meters and the integration's events.
 */
@QuarkusTest
class ResilienceTests extends ApiTestSupport {
    private static final String TRANSACTIONAL = "/api/v3/core/transactional/applications/";
    private static final String VERSION = "/api/v3/admin/version/";

    private static List<TimedRequest> calls(FakeAuthentik fake, int from, String method, String path) {
        return fake.timedRequests(from).stream().filter(r -> r.method().equals(method) && r.path().equals(path)).toList();
    }

    @Test
    void aThrottledWriteIsSentAgainAfterRetryAfterAndMadeOnce() {
        FakeAuthentik fake = Fakes.of(Fakes.CURRENT);
        String[] ids = tenantWithInstance("throttle", fake);
        fake.injectFault("PUT", TRANSACTIONAL, 1, Fault.throttled(1));
        int from = fake.requestCount();

        createIntegration(ids[0], oidcRequest(ids[1], "chatgpt")).then().statusCode(201).body("status", equalTo("awaiting_finalise"));

        List<TimedRequest> writes = calls(fake, from, "PUT", TRANSACTIONAL);
        assertEquals(List.of(429, 200), writes.stream().map(TimedRequest::status).toList(), "throttled, then sent again");
        long waitedMicros = writes.get(1).receivedMicros() - writes.get(0).answeredMicros();
        assertTrue(waitedMicros >= 1_000_000, "waited Retry-After (1 s) before sending again, waited " + waitedMicros / 1000 + " ms");
        assertEquals(1, fake.applications().size());
        assertEquals(1, fake.oauth2Providers().size());
    }

    @Test
    void aThrottledReadIsRepeatedAfterRetryAfter() {
        FakeAuthentik fake = Fakes.of(Fakes.LEGACY);
        String[] ids = tenantWithInstance("throttle-read", fake);
        fake.injectFault("GET", VERSION, 1, Fault.throttled(1));
        int from = fake.requestCount();

        admin().get("/api/v1/tenants/{t}/instances/{id}/health", ids[0], ids[1]).then().statusCode(200)
                .body("reachable", equalTo(true)).body("tokenValid", equalTo(true)).body("version", equalTo(Fakes.LEGACY));

        List<TimedRequest> reads = calls(fake, from, "GET", VERSION);
        assertEquals(List.of(429, 200), reads.stream().map(TimedRequest::status).toList());
        assertTrue(reads.get(1).receivedMicros() - reads.get(0).answeredMicros() >= 1_000_000, "waited Retry-After");
    }

    @Test
    void aFailingInstanceOpensItsOwnCircuitAndOthersAreUnaffected() {
        FakeAuthentik sick = Fakes.of(Fakes.LEGACY);
        FakeAuthentik healthy = Fakes.of(Fakes.CURRENT);
        String[] sickIds = tenantWithInstance("sick", sick);
        String[] healthyIds = tenantWithInstance("healthy", healthy);
        for (int i = 0; i < 40; i++) {
            sick.injectFault("GET", VERSION, 1, Fault.status(503));
        }

        int sentBefore = -1;
        int checks = 0;
        while (checks < 20) {
            int sent = (int) sick.count("GET", VERSION);
            if (sent == sentBefore) {
                break; // the last health check did not reach authentik at all
            }
            sentBefore = sent;
            admin().get("/api/v1/tenants/{t}/instances/{id}/health", sickIds[0], sickIds[1]).then().statusCode(200)
                    .body("tokenValid", nullValue());
            checks++;
        }
        assertTrue(checks < 20, "the circuit opened: later health checks fail fast without calling authentik");
        admin().get("/api/v1/tenants/{t}/instances/{id}/health", sickIds[0], sickIds[1]).then().statusCode(200)
                .body("reachable", equalTo(false)).body("detail", containsString("circuit open"));
        assertEquals(sentBefore, (int) sick.count("GET", VERSION), "an open circuit sends nothing");
        assertTrue(sample(metrics(), "provisioner_authentik_call_seconds_count", "instance=\"" + sickIds[1] + "\"",
                "operation=\"GET admin/version/\"", "status=\"circuit-open\"") >= 2, "calls the open circuit refused are counted");
        int requestsBefore = sick.requestCount();
        createIntegration(sickIds[0], oidcRequest(sickIds[1], "chatgpt")).then().statusCode(503)
                .body("type", equalTo("/problems/authentik-circuit-open"));
        assertEquals(requestsBefore, sick.requestCount(), "a create on an open circuit sends nothing");
        String refused = admin().get("/api/v1/tenants/{t}/integrations", sickIds[0]).then().statusCode(200)
                .body("items", hasSize(1)).extract().path("items[0].id");
        admin().get("/api/v1/tenants/{t}/integrations/{id}/events", sickIds[0], refused).then().statusCode(200)
                .body("items.findAll { it.method != null && it.outcome == 'failed' && it.status == null }.detail",
                        hasItem(containsString("not attempted")));

        admin().get("/api/v1/tenants/{t}/instances/{id}/health", healthyIds[0], healthyIds[1]).then().statusCode(200)
                .body("reachable", equalTo(true)).body("tokenValid", equalTo(true));
        createIntegration(healthyIds[0], oidcRequest(healthyIds[1], "chatgpt")).then().statusCode(201);
    }
}
