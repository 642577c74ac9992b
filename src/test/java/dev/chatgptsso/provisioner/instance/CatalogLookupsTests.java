package dev.chatgptsso.provisioner.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatgptsso.provisioner.authentik.AuthentikClient;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.Flow;
import dev.chatgptsso.provisioner.authentik.ParallelCalls;
import dev.chatgptsso.provisioner.fakeauthentik.FakeAuthentik;
import dev.chatgptsso.provisioner.support.ApiTestSupport;
import dev.chatgptsso.provisioner.support.Fakes;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The catalog's lookups started side by side: those that must ask authentik run on worker threads and overlap (a fake
 * that answers after 40 ms), those answered from the cache are done before they return, without a worker hand-off.
 */
@QuarkusTest
class CatalogLookupsTests extends ApiTestSupport {
    private static final String AUTHORIZATION = "default-provider-authorization-implicit-consent";
    private static final String INVALIDATION = "default-provider-invalidation-flow";
    private static FakeAuthentik slow;

    @Inject
    InstanceCatalog catalog;

    @Inject
    InstanceService instances;

    @BeforeAll
    static void startSlowFake() {
        slow = Fakes.slow(Fakes.CURRENT, 40);
    }

    @AfterAll
    static void stopSlowFake() {
        slow.close();
    }

    private record Call(String path, Thread thread) {}

    @Test
    void lookupsThatAskAuthentikRunOnWorkersAndCachedOnesAreDoneAtOnce() {
        String[] ids = tenantWithInstance("lookups", slow);
        AuthentikInstance instance = instances.require(ids[0], UUID.fromString(ids[1]));
        catalog.invalidate(instance.id); // forget what registration prefetched
        List<Call> calls = new CopyOnWriteArrayList<>();
        AuthentikClient client = instances.client(instance)
                .observedBy((method, path, status, millis, failure) -> calls.add(new Call(path, Thread.currentThread())));

        InstanceCatalog.Lookups cold = catalog.lookups(instance, client);
        CompletableFuture<Flow> authorization = cold.flow(AUTHORIZATION, "authorization", null);
        CompletableFuture<Flow> invalidation = cold.flow(INVALIDATION, "invalidation", null);
        assertFalse(authorization.isDone() && invalidation.isDone(), "lookups that ask authentik do not hold up the caller");
        ParallelCalls.joinAll(authorization, invalidation);
        assertEquals(2, calls.size(), "one call per uncached flow: " + calls);
        for (Call call : calls) {
            assertNotSame(Thread.currentThread(), call.thread(), call.path() + " ran on a worker thread");
        }
        List<FakeAuthentik.TimedRequest> byArrival = new ArrayList<>(slow.timedRequests(slow.requestCount() - 2));
        byArrival.sort(Comparator.comparingLong(FakeAuthentik.TimedRequest::receivedMicros));
        assertEquals(1, Arrays.stream(FakeAuthentik.TimedRequest.chainDepths(byArrival)).max().orElseThrow(), "the two calls overlapped");

        calls.clear();
        for (int i = 0; i < 20; i++) {
            InstanceCatalog.Lookups warm = catalog.lookups(instance, client);
            CompletableFuture<Flow> cached = warm.flow(AUTHORIZATION, "authorization", null);
            CompletableFuture<Flow> wrongDesignation = warm.flow(INVALIDATION, "authorization", null);
            assertTrue(cached.isDone(), "a cached answer is there when the lookup returns");
            assertTrue(wrongDesignation.isCompletedExceptionally(), "and its checks have run: the invalidation flow is not an authorization flow");
            assertEquals(AUTHORIZATION, cached.join().slug());
        }
        assertTrue(calls.isEmpty(), "cached lookups make no call: " + calls);
    }
}
