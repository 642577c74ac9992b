package dev.chatgptsso.provisioner.integration;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;

import dev.chatgptsso.provisioner.Database;
import dev.chatgptsso.provisioner.fakeauthentik.FakeAuthentik;
import dev.chatgptsso.provisioner.support.ApiTestSupport;
import dev.chatgptsso.provisioner.support.Fakes;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.mockito.InjectSpy;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.invocation.InvocationOnMock;

/**
 * The statement that ends a create (its record, last step rows and lease in one) fails the way a broken connection
 * makes it fail: perhaps after the commit, perhaps before, perhaps with the database unreadable for a moment. Whatever
 * happened, the record and authentik must end up agreeing. The failures are injected into the real {@link Database}
 * for one application slug only; everything else runs against PostgreSQL and the fake authentik.
 */
@QuarkusTest
class CompletionFailureTests extends ApiTestSupport {
    private static final String COMPLETING = "with updated as";
    private static final String LOGIN_REDIRECT = "https://auth.openai.com/sso/oidc/callback/conn_unknown";
    private static final String LANDED_CHECK = "select count(*) from integration where id = ? and row_version = ?";
    private static final String RELEASE = "set lease_owner = null, lease_until = null from relaxed";

    @InjectSpy
    Database database;

    @Inject
    Reconciler reconciler;

    private enum Failure { NONE, ANSWER_LOST_AFTER_COMMIT, CONNECTION_BROKE_BEFORE_COMMIT, DATABASE_DOWN, LEASE_TAKEN_BY_ANOTHER }

    private volatile Failure failure = Failure.NONE;
    private volatile String slug;
    private final AtomicInteger landedChecks = new AtomicInteger();

    @BeforeEach
    void injectIntoTheCompletingStatement() {
        doAnswer(this::statement).when(database).firstLong(anyString(), any(Object[].class));
        doAnswer(this::statement).when(database).update(anyString(), any(Object[].class));
    }

    private Object statement(InvocationOnMock call) throws Throwable {
        String sql = call.getArgument(0);
        boolean ours = Arrays.asList(call.getRawArguments()).stream()
                .anyMatch(argument -> argument instanceof Object[] values && Arrays.asList(values).contains(slug));
        if (sql.startsWith(COMPLETING) && ours) {
            switch (failure) {
                case ANSWER_LOST_AFTER_COMMIT -> {
                    call.callRealMethod();
                    throw brokenConnection();
                }
                case CONNECTION_BROKE_BEFORE_COMMIT, DATABASE_DOWN -> throw brokenConnection();
                case LEASE_TAKEN_BY_ANOTHER -> // the lease ran out, the reconciler took the record and failed it
                    database.update("update integration set lease_owner = 'reconciler-elsewhere', status = 'failed', "
                            + "row_version = row_version + 1 where app_slug = ?", slug);
                case NONE -> { }
            }
        }
        if (sql.startsWith(LANDED_CHECK)) {
            landedChecks.incrementAndGet();
        }
        if (failure == Failure.DATABASE_DOWN && (sql.startsWith(LANDED_CHECK) || sql.contains(RELEASE))) {
            throw brokenConnection();
        }
        return call.callRealMethod();
    }

    private static IllegalStateException brokenConnection() {
        return new IllegalStateException("database statement failed: SQL state 08006",
                new SQLException("An I/O error occurred while sending to the backend.", "08006"));
    }

    private void drain() {
        ReconcilerTests.drain(reconciler);
    }

    private String leaseOwner(String id) {
        return database.first("select lease_owner from integration where id = cast(? as uuid)", row -> row.getString(1), id).orElse(null);
    }

    private List<String> states(String id) {
        return database.query("select detail from integration_step where integration_id = cast(? as uuid) and outcome = 'state' "
                + "order by id", row -> row.getString(1), id);
    }

    @Test
    void aCompletionThatCommittedButLostItsAnswerIsACreate() {
        FakeAuthentik fake = Fakes.of(Fakes.CURRENT);
        String[] ids = tenantWithInstance("complete-lost", fake);
        slug = "answer-lost";
        failure = Failure.ANSWER_LOST_AFTER_COMMIT;

        String id = createIntegration(ids[0], oidcRequest(ids[1], slug)).then().statusCode(201)
                .body("status", equalTo("awaiting_finalise")).body("oidc.clientSecret", notNullValue()).extract().path("id");

        assertEquals(1, fake.applications().size(), "the application stays");
        assertEquals(1, fake.oauth2Providers().size(), "the provider stays");
        assertEquals(List.of("provisioning", "awaiting_finalise"), states(id), "each state row once: none written twice");
        assertNull(leaseOwner(id), "the lease was released by the statement that committed");
    }

    @Test
    void aCompletionThatDidNotCommitIsCompensated() {
        FakeAuthentik fake = Fakes.of(Fakes.CURRENT);
        String[] ids = tenantWithInstance("complete-refused", fake);
        slug = "not-committed";
        failure = Failure.CONNECTION_BROKE_BEFORE_COMMIT;
        int checksBefore = landedChecks.get();

        createIntegration(ids[0], oidcRequest(ids[1], slug)).then().statusCode(500).body("type", equalTo("/problems/internal-error"));
        String id = database.first("select id from integration where instance_id = cast(? as uuid) and app_slug = ?",
                row -> row.getString(1), ids[1], slug).orElseThrow();

        assertEquals(checksBefore + 1, landedChecks.get(), "the record was read to see whether the statement committed");
        assertTrue(fake.applications().isEmpty(), "what the create made is removed");
        assertTrue(fake.oauth2Providers().isEmpty());
        admin().get("/api/v1/tenants/{t}/integrations/{id}", ids[0], id).then().body("status", equalTo("failed"));
    }

    /** The database is down: the completing statement, the look at the record and the lease's release all fail. */
    @Test
    void aCompletionWhoseOutcomeCannotBeReadRemovesNothingAndLeavesItToTheReconciler() {
        FakeAuthentik fake = Fakes.of(Fakes.CURRENT);
        String[] ids = tenantWithInstance("complete-unknown", fake);
        slug = "outcome-unknown";
        failure = Failure.DATABASE_DOWN;

        String id = createIntegration(ids[0], oidcRequest(ids[1], slug)).then().statusCode(500)
                .contentType("application/problem+json").body("type", equalTo("/problems/internal-error"))
                .body("integrationId", notNullValue()).extract().path("integrationId");

        assertEquals(1, fake.applications().size(), "nothing removed while the record may say it exists");
        assertEquals(1, fake.oauth2Providers().size());
        failure = Failure.NONE; // the database is back
        admin().get("/api/v1/tenants/{t}/integrations/{id}", ids[0], id).then().body("status", equalTo("provisioning"));
        drain();
        admin().get("/api/v1/tenants/{t}/integrations/{id}", ids[0], id).then().body("status", equalTo("provisioning"))
                .body("failure", nullValue());
        assertEquals(1, fake.applications().size(), "the reconciler leaves a record whose lease is still held");

        database.update("update integration set lease_until = now() - interval '1 second' where id = cast(? as uuid)", id);
        drain();
        admin().get("/api/v1/tenants/{t}/integrations/{id}", ids[0], id).then().body("status", equalTo("failed"));
        assertTrue(fake.applications().isEmpty(), "once the lease ran out the reconciler removed what the unrecorded create made");
        assertTrue(fake.oauth2Providers().isEmpty());
    }

    /** A finalise whose end cannot be recorded names its integration, and the reconciler carries the finalise out again. */
    @Test
    void aFinaliseWhoseOutcomeCannotBeReadIsCarriedOutAgainByTheReconciler() {
        FakeAuthentik fake = Fakes.of(Fakes.CURRENT);
        String[] ids = tenantWithInstance("finalise-unknown", fake);
        slug = "finalise-unknown";
        String id = createIntegration(ids[0], oidcRequest(ids[1], slug)).then().statusCode(201).extract().path("id");
        failure = Failure.DATABASE_DOWN;

        finalise(ids[0], id, LOGIN_REDIRECT).then().statusCode(500).contentType("application/problem+json")
                .body("type", equalTo("/problems/internal-error")).body("integrationId", equalTo(id));

        failure = Failure.NONE;
        admin().get("/api/v1/tenants/{t}/integrations/{id}", ids[0], id).then().body("status", equalTo("awaiting_finalise"));
        database.update("update integration set lease_until = now() - interval '1 second' where id = cast(? as uuid)", id);
        drain();
        admin().get("/api/v1/tenants/{t}/integrations/{id}", ids[0], id).then().body("status", equalTo("active"));
        assertEquals(List.of(Reconciler.ACTOR), database.query("select actor from integration_step where integration_id = cast(? as uuid) "
                + "and outcome = 'state' and detail = 'active'", row -> row.getString(1), id), "activated by the reconciler's finalise");
    }

    /** The create outlived its lease and the reconciler took the record: the create neither completes nor compensates it. */
    @Test
    void aCreateThatLostItsLeaseLeavesTheRecordToItsNewHolder() {
        FakeAuthentik fake = Fakes.of(Fakes.CURRENT);
        String[] ids = tenantWithInstance("complete-lease-lost", fake);
        slug = "lease-lost";
        failure = Failure.LEASE_TAKEN_BY_ANOTHER;

        String id = createIntegration(ids[0], oidcRequest(ids[1], slug)).then().statusCode(500)
                .body("type", equalTo("/problems/internal-error")).body("integrationId", notNullValue()).extract().path("integrationId");

        admin().get("/api/v1/tenants/{t}/integrations/{id}", ids[0], id).then().body("status", equalTo("failed"));
        assertEquals("reconciler-elsewhere", leaseOwner(id), "the new holder keeps the lease");
        assertEquals(1, fake.applications().size(), "the new holder, not the create, removes the objects");
        assertTrue(states(id).stream().noneMatch("awaiting_finalise"::equals), "no completion recorded: " + states(id));
        database.update("update integration set lease_owner = null, lease_until = null where id = cast(? as uuid)", id);
    }
}
