package dev.chatgptsso.provisioner.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatgptsso.provisioner.fakeauthentik.FakeAuthentik;
import dev.chatgptsso.provisioner.fakeauthentik.FakeAuthentik.TimedRequest;
import dev.chatgptsso.provisioner.support.ApiTestSupport;
import dev.chatgptsso.provisioner.support.Fakes;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The round-trip budget, counted (not timed) on a fake that answers after 40 ms, so calls made side
 * by side overlap: a cold create (the first on a freshly registered instance) makes at most 3
 * sequential authentik calls, a warm create at most 2 sequential and 3 in all, a finalise 2 (the
 * write and its read-back). "Sequential" is the longest chain of calls in which each started after
 * the previous one was answered.
 */
@QuarkusTest
class RoundTripTests extends ApiTestSupport {
    private static FakeAuthentik slow;

    @BeforeAll
    static void startSlowFake() {
        slow = Fakes.slow(Fakes.CURRENT, 40);
    }

    @AfterAll
    static void stopSlowFake() {
        slow.close();
    }

    record Calls(List<TimedRequest> calls, int sequential) {
        List<String> paths() {
            return calls.stream().map(c -> c.method() + " " + c.path()).toList();
        }
    }

    private static Calls during(Supplier<?> operation) {
        int from = slow.requestCount();
        operation.get();
        List<TimedRequest> calls = new ArrayList<>(slow.timedRequests(from));
        calls.sort(Comparator.comparingLong(TimedRequest::receivedMicros));
        return new Calls(calls, java.util.Arrays.stream(TimedRequest.chainDepths(calls)).max().orElse(0));
    }

    @Test
    void oidcCreatesAndFinaliseStayWithinTheRoundTripBudget() {
        String tenant = createTenant(uniqueTenantId("budget"));
        String[] instance = new String[1];
        Calls register = during(() -> instance[0] = registerInstance(ADMIN_KEY, tenant, slow, FakeAuthentik.ADMIN_TOKEN, "production")
                .then().statusCode(201).extract().path("id"));
        Calls cold = during(() -> createIntegration(tenant, oidcRequest(instance[0], "chatgpt-a")).then().statusCode(201));
        Calls warm = during(() -> createIntegration(tenant, oidcRequest(instance[0], "chatgpt-b")).then().statusCode(201));
        String id = createIntegration(tenant, oidcRequest(instance[0], "chatgpt-c")).then().statusCode(201).extract().path("id");
        Calls finalise = during(() -> finalise(tenant, id, "https://auth.openai.com/sso/oidc/callback/conn_budget").then().statusCode(200));
        System.out.printf("[round trips] register %d sequential (%d calls), cold create %d (%d), warm create %d (%d), finalise %d (%d)%n",
                register.sequential(), register.calls().size(), cold.sequential(), cold.calls().size(), warm.sequential(),
                warm.calls().size(), finalise.sequential(), finalise.calls().size());

        assertEquals(1, register.sequential(), "registration asks everything side by side: " + register.paths());
        assertEquals(1, register.paths().stream().filter(call -> call.startsWith("GET /api/v3/propertymappings/")).count(),
                "registration looks up authentik's managed scope mappings, not the owned profile mapping named after the "
                        + "instance's new id: " + register.paths());
        assertTrue(cold.paths().stream().noneMatch(call -> call.startsWith("GET /api/v3/propertymappings/")),
                "the cold create makes the owned mapping without looking for it: " + cold.paths());
        assertTrue(cold.sequential() <= 3, "cold create: the owned mapping's POST, the transactional PUT, the read-back: " + cold.paths());
        assertEquals(2, warm.sequential(), "warm create: the transactional PUT and the read-back: " + warm.paths());
        assertTrue(warm.calls().size() <= 3, "warm create makes at most 3 calls: " + warm.paths());
        assertEquals(2, finalise.sequential(), "finalise: the PATCH and its read-back: " + finalise.paths());
    }
}
