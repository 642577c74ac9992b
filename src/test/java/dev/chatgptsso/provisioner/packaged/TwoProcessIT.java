package dev.chatgptsso.provisioner.packaged;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chatgptsso.provisioner.fakeauthentik.FakeAuthentik;
import dev.chatgptsso.provisioner.fakeauthentik.FakeAuthentik.Fault;
import dev.chatgptsso.provisioner.support.RecipeExpressions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Black-box tests of the packaged service as separate OS processes sharing one PostgreSQL:
 * concurrent same-slug creates split across two processes yield exactly one integration and one set
 * of authentik objects; a process killed (SIGKILL) in the middle of a create leaves a record that
 * the reconciler of the restarted process brings to a clean end.
 */
class TwoProcessIT {
    private static final int CONCURRENT_CREATES = 60;
    private static final String TRANSACTIONAL = "/api/v3/core/transactional/applications/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** Short leases and timeouts, so a dead process's record is taken over within seconds. */
    private static final Map<String, String> FAST_RECOVERY = ServiceProcess.env(
            "PROVISIONER_RECONCILER_INTERVAL", "1s",
            "PROVISIONER_RECONCILER_LEASE", "PT6S",
            "PROVISIONER_AUTHENTIK_READ_TIMEOUT", "PT3S");

    private static EmbeddedPostgres postgres;
    private static FakeAuthentik authentik;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        authentik = FakeAuthentik.start(FakeAuthentik.Options.defaults("2026.5.6").withLatencyMillis(20));
        RecipeExpressions.registerOn(authentik);
    }

    @AfterAll
    static void stop() throws Exception {
        if (authentik != null) authentik.close();
        if (postgres != null) postgres.close();
    }

    private static String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    record Answer(int status, JsonNode body) {
        String text(String field) {
            return body.path(field).asText();
        }
    }

    private static Answer call(String baseUrl, String method, String path, Object body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + ServiceProcess.ADMIN_KEY).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body()));
    }

    /** A new tenant with one instance on the fake; returns {tenantId, instanceId}. */
    private static String[] tenantWithInstance(ServiceProcess service, String prefix) throws Exception {
        String tenant = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(201, call(service.baseUrl(), "POST", "/api/v1/tenants", Map.of("id", tenant, "displayName", tenant)).status());
        Answer instance = call(service.baseUrl(), "POST", "/api/v1/tenants/" + tenant + "/instances",
                Map.of("name", "production", "baseUrl", authentik.baseUrl(), "apiToken", FakeAuthentik.ADMIN_TOKEN, "verifyTls", true));
        assertEquals(201, instance.status(), instance.body().toString());
        return new String[] {tenant, instance.text("id")};
    }

    private static Map<String, Object> oidc(String instanceId, String slug) {
        return Map.of("instanceId", instanceId, "protocol", "oidc",
                "application", Map.of("name", "ChatGPT", "slug", slug, "group", "AI", "policyEngineMode", "any"));
    }

    @Test
    void concurrentSameSlugCreatesOnTwoProcessesMakeExactlyOneIntegration() throws Exception {
        authentik.reset();
        try (ServiceProcess a = ServiceProcess.start("two-process-a", jdbcUrl(), Map.of());
                ServiceProcess b = ServiceProcess.start("two-process-b", jdbcUrl(), Map.of())) {
            String[] ids = tenantWithInstance(a, "race");
            String path = "/api/v1/tenants/" + ids[0] + "/integrations";
            ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT_CREATES);
            CountDownLatch gate = new CountDownLatch(1);
            List<Future<Answer>> answers = new ArrayList<>();
            for (int i = 0; i < CONCURRENT_CREATES; i++) {
                ServiceProcess target = i % 2 == 0 ? a : b;
                answers.add(pool.submit(() -> {
                    gate.await();
                    return call(target.baseUrl(), "POST", path, oidc(ids[1], "chatgpt"));
                }));
            }
            gate.countDown();
            Map<String, Integer> outcomes = new TreeMap<>();
            for (Future<Answer> future : answers) {
                Answer answer = future.get();
                outcomes.merge(answer.status() + " " + answer.body().path("type").asText("created"), 1, Integer::sum);
            }
            pool.shutdown();
            System.out.println("[two processes] " + CONCURRENT_CREATES + " concurrent same-slug creates split over 2 processes: " + outcomes);

            assertEquals(Map.of("201 created", 1, "409 /problems/integration-exists", CONCURRENT_CREATES - 1), outcomes);
            assertEquals(1, authentik.applications().size(), "one application in authentik");
            assertEquals(1, authentik.oauth2Providers().size(), "one provider in authentik");
            long ownedMappings = authentik.scopeMappings().stream().filter(m -> m.path("managed").isNull()).count();
            assertEquals(1, ownedMappings, "one profile mapping for the instance");
            for (ServiceProcess service : List.of(a, b)) {
                assertEquals(1, call(service.baseUrl(), "GET", path, null).body().path("total").asInt(), "both processes see one record");
            }
        }
    }

    @Test
    void aProcessKilledDuringACreateLeavesARecordTheRestartedProcessFinishes() throws Exception {
        authentik.reset();
        String[] ids;
        String path;
        CompletableFuture<Answer> interrupted;
        try (ServiceProcess doomed = ServiceProcess.start("restart-before", jdbcUrl(), FAST_RECOVERY)) {
            ids = tenantWithInstance(doomed, "restart");
            path = "/api/v1/tenants/" + ids[0] + "/integrations";
            // authentik takes 4 s over the write and then makes it: the process dies while waiting for it
            authentik.injectFault("PUT", TRANSACTIONAL, 1, Fault.delay(4000));
            interrupted = CompletableFuture.supplyAsync(() -> {
                try {
                    return call(doomed.baseUrl(), "POST", path, oidc(ids[1], "chatgpt"));
                } catch (Exception connectionLost) {
                    return new Answer(0, JSON.createObjectNode());
                }
            });
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (authentik.requests().stream().noneMatch(r -> r.method().equals("PUT") && r.path().equals(TRANSACTIONAL))) {
                assertTrue(System.nanoTime() < deadline, "the create never reached authentik's write");
                Thread.sleep(20);
            }
            doomed.kill();
        }
        assertEquals(0, interrupted.get().status(), "the caller lost its connection with the process");
        Thread.sleep(4500); // the write lands in authentik after the process is gone
        assertEquals(1, authentik.applications().size(), "authentik completed the dead process's write");

        try (ServiceProcess restarted = ServiceProcess.start("restart-after", jdbcUrl(), FAST_RECOVERY)) {
            Answer list = call(restarted.baseUrl(), "GET", path, null);
            String id = list.body().path("items").path(0).path("id").asText();
            JsonNode record = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                record = call(restarted.baseUrl(), "GET", path + "/" + id, null).body();
                if (record.path("status").asText().equals("failed") && !record.path("failure").path("cleanupPending").asBoolean(true)) {
                    break;
                }
                Thread.sleep(250);
            }
            System.out.println("[restart] record after the restarted process's reconciler: " + record.path("status") + " "
                    + record.path("failure"));
            assertEquals("failed", record.path("status").asText(), record.toString());
            assertEquals("interrupted", record.path("failure").path("step").asText());
            assertFalse(record.path("failure").path("cleanupPending").asBoolean(true), "nothing left to look for");
            assertTrue(authentik.applications().isEmpty(), "the dead attempt's application was removed");
            assertTrue(authentik.oauth2Providers().isEmpty(), "the dead attempt's provider was removed");

            Answer retry = call(restarted.baseUrl(), "POST", path, oidc(ids[1], "chatgpt"));
            assertEquals(201, retry.status(), retry.body().toString());
            assertEquals("awaiting_finalise", retry.text("status"));
        }
    }
}
