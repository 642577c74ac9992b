package dev.chatgptsso.provisioner.integration;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatgptsso.provisioner.fakeauthentik.FakeAuthentik;
import dev.chatgptsso.provisioner.support.ApiTestSupport;
import dev.chatgptsso.provisioner.support.Fakes;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import dev.chatgptsso.provisioner.Database;
import org.junit.jupiter.api.Test;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Records a dead process left mid-operation are brought to a consistent end by the reconciler.
 * The crash is simulated by putting the record back into the state it had during the operation,
 * with no lease on it (an expired lease reads the same).
 */
@QuarkusTest
class ReconcilerTests extends ApiTestSupport {
    private static final String TRANSACTIONAL = "/api/v3/core/transactional/applications/";
    private static final String LOGIN_REDIRECT = "https://auth.openai.com/sso/oidc/callback/conn_reconcile";

    @Inject
    Reconciler reconciler;

    @Inject
    Database database;

    private void sql(String statement, String id) {
        database.update(statement + " where id = cast(? as uuid)", id);
    }

    /** Runs the reconciler until a round finishes nothing (other tests may have left unfinished records too). */
    static void drain(Reconciler reconciler) {
        while (reconciler.runOnce() > 0) {
            // work until nothing is left
        }
    }

    private void drain() {
        drain(reconciler);
    }

    @Test
    void aCreateInterruptedAfterTheWriteIsCompensatedToFailed() {
        FakeAuthentik fake = Fakes.of(Fakes.CURRENT);
        String[] ids = tenantWithInstance("rec-create", fake);
        String id = createIntegration(ids[0], oidcRequest(ids[1], "chatgpt")).then().statusCode(201).extract().path("id");
        sql("update integration set status = 'provisioning', lease_owner = null, lease_until = null", id);

        drain();
        admin().get("/api/v1/tenants/{t}/integrations/{id}", ids[0], id).then()
                .body("status", equalTo("failed")).body("failure.step", equalTo("interrupted"));
        assertTrue(fake.applications().isEmpty(), "nothing left in authentik");
        assertTrue(fake.oauth2Providers().isEmpty());
        createIntegration(ids[0], oidcRequest(ids[1], "chatgpt")).then().statusCode(201);
    }

    @Test
    void whileTheCreateIsInFlightTheRecordAlreadyNamesItsObjects() throws Exception {
        FakeAuthentik fake = Fakes.of(Fakes.CURRENT);
        String[] ids = tenantWithInstance("rec-names", fake);
        createIntegration(ids[0], oidcRequest(ids[1], "warm-up")).then().statusCode(201); // the lookups are cached now
        fake.injectFault("PUT", TRANSACTIONAL, 1, FakeAuthentik.Fault.delay(500)); // the tests' read timeout is 1 s
        CompletableFuture<Integer> create = CompletableFuture.supplyAsync(
                () -> createIntegration(ids[0], oidcRequest(ids[1], "in-flight")).then().extract().statusCode());
        FakeAuthentik.RecordedRequest write = awaitRequest(fake, "PUT", TRANSACTIONAL, "\"in-flight\"");

        // what a process that died now would leave: the record, and the names the reconciler finds the objects by
        List<String[]> rows = database.query("select provider_name, client_id from integration where app_slug = 'in-flight' "
                + "and instance_id = cast(? as uuid)", rs -> new String[] {rs.getString(1), rs.getString(2)}, ids[1]);
        assertEquals(1, rows.size(), "the record is written before the transactional create is sent");
        JsonNode provider = new ObjectMapper().readTree(write.body()).get("provider");
        assertEquals(provider.get("name").asText(), rows.get(0)[0]);
        assertEquals(provider.get("client_id").asText(), rows.get(0)[1]);
        assertEquals(201, create.get(10, TimeUnit.SECONDS));
    }

    private static FakeAuthentik.RecordedRequest awaitRequest(FakeAuthentik fake, String method, String path, String bodyPart)
            throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            var found = fake.requests().stream().filter(r -> r.method().equals(method) && (path == null || r.path().equals(path))
                    && r.body() != null && r.body().contains(bodyPart)).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(10);
        }
        throw new AssertionError(method + " " + path + " was not sent");
    }

    @Test
    void anInterruptedDeleteIsFinished() {
        FakeAuthentik fake = Fakes.of(Fakes.LEGACY);
        String[] ids = tenantWithInstance("rec-delete", fake);
        String id = createIntegration(ids[0], oidcRequest(ids[1], "chatgpt")).then().statusCode(201).extract().path("id");
        sql("update integration set status = 'deleting'", id);

        drain();
        admin().get("/api/v1/tenants/{t}/integrations/{id}", ids[0], id).then().body("status", equalTo("deleted"));
        assertTrue(fake.applications().isEmpty());
        assertTrue(fake.oauth2Providers().isEmpty());
    }

    @Test
    void anInterruptedFinaliseIsWrittenAgain() {
        FakeAuthentik fake = Fakes.of(Fakes.CURRENT);
        String[] ids = tenantWithInstance("rec-final", fake);
        String id = createIntegration(ids[0], oidcRequest(ids[1], "chatgpt")).then().statusCode(201).extract().path("id");
        database.update("update integration set pending_operation = 'finalise', pending_target = ? where id = cast(? as uuid)",
                LOGIN_REDIRECT, id);

        drain();
        admin().get("/api/v1/tenants/{t}/integrations/{id}", ids[0], id).then()
                .body("status", equalTo("active")).body("oidc.redirectUris[0]", equalTo(LOGIN_REDIRECT));
        assertEquals(LOGIN_REDIRECT, fake.oauth2Providers().get(0).get("redirect_uris").get(0).get("url").asText());
    }

    @Test
    void aRecordHeldByAnotherLiveProcessIsLeftAlone() {
        FakeAuthentik fake = Fakes.of(Fakes.CURRENT);
        String[] ids = tenantWithInstance("rec-lease", fake);
        String id = createIntegration(ids[0], oidcRequest(ids[1], "chatgpt")).then().statusCode(201).extract().path("id");
        sql("update integration set status = 'deleting', lease_owner = 'other-replica', lease_until = now() + interval '1 minute'", id);

        drain();
        admin().get("/api/v1/tenants/{t}/integrations/{id}", ids[0], id).then().body("status", equalTo("deleting"));
        assertEquals(1, fake.applications().size(), "untouched while another replica holds it");
        // and an operation of our own is refused while the other holds it
        admin().delete("/api/v1/tenants/{t}/integrations/{id}", ids[0], id).then().statusCode(409)
                .body("type", equalTo("/problems/integration-busy"));

        sql("update integration set lease_until = now() - interval '1 second'", id);
        drain();
        admin().get("/api/v1/tenants/{t}/integrations/{id}", ids[0], id).then().body("status", equalTo("deleted"));
    }

    /** Two operations of one process exclude each other like two processes do: the second is refused while the first runs. */
    @Test
    void aSecondOperationOfTheSameProcessIsRefusedWhileTheFirstHoldsTheLease() throws Exception {
        FakeAuthentik fake = Fakes.of(Fakes.CURRENT);
        String[] ids = tenantWithInstance("rec-same-process", fake);
        String id = createIntegration(ids[0], oidcRequest(ids[1], "chatgpt")).then().statusCode(201).extract().path("id");
        fake.injectFault("PATCH", "/api/v3/providers/oauth2/[0-9]+/", 1, FakeAuthentik.Fault.delay(500));
        CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> finalise(ids[0], id, LOGIN_REDIRECT).then().extract().statusCode());
        awaitRequest(fake, "PATCH", null, LOGIN_REDIRECT);

        admin().delete("/api/v1/tenants/{t}/integrations/{id}", ids[0], id).then().statusCode(409)
                .body("type", equalTo("/problems/integration-busy"));
        assertEquals(200, first.get(10, TimeUnit.SECONDS));
        admin().get("/api/v1/tenants/{t}/integrations/{id}", ids[0], id).then().body("status", equalTo("active"));
    }

    @Test
    void aLateWriteAfterAFailedCreateIsRemovedLater() {
        FakeAuthentik fake = Fakes.of(Fakes.CURRENT);
        String[] ids = tenantWithInstance("rec-late", fake);
        String id = createIntegration(ids[0], oidcRequest(ids[1], "chatgpt")).then().statusCode(201).extract().path("id");
        // as if the create had failed while its write was still on the way: objects exist, the record says failed
        sql("update integration set status = 'failed', failure_step = 'create-application-and-provider', cleanup_pending = true, "
                + "updated_at = now() - interval '1 minute'", id);
        assertEquals(1, fake.oauth2Providers().size());

        drain();
        assertTrue(fake.applications().isEmpty());
        assertTrue(fake.oauth2Providers().isEmpty());
        admin().get("/api/v1/tenants/{t}/integrations/{id}", ids[0], id).then().body("failure.cleanupPending", equalTo(false));
    }

}
