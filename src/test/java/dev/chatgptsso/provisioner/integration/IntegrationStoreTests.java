package dev.chatgptsso.provisioner.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatgptsso.provisioner.Database;
import dev.chatgptsso.provisioner.support.ApiTestSupport;
import dev.chatgptsso.provisioner.support.Fakes;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The record's insert, read and version-checked update, which writes every column except its identity and its lease. */
@QuarkusTest
class IntegrationStoreTests extends ApiTestSupport {
    @Inject
    IntegrationStore store;

    @Inject
    Database database;

    @Inject
    IntegrationService service;

    @Inject
    StepWriter writer;

    @Inject
    dev.chatgptsso.provisioner.telemetry.Telemetry telemetry;

    private UUID anIntegration(String prefix) {
        String[] ids = tenantWithInstance(prefix, Fakes.of(Fakes.CURRENT));
        return UUID.fromString(createIntegration(ids[0], oidcRequest(ids[1], "chatgpt")).then().statusCode(201).extract().path("id"));
    }

    /** The lease statements do not change the version: an update written from an earlier read must not put the old lease back. */
    @Test
    void anUpdateDoesNotOverwriteALeaseTakenAfterItsRead() {
        UUID id = anIntegration("steps-lease");
        store.update(id, integration -> {
            // between this update's read and its write, another process takes the (expired) lease
            database.update("update integration set lease_owner = 'other-process', lease_until = now() + interval '1 minute' where id = ?", id);
            integration.failureDetail = "changed by the update";
        });
        String[] row = database.first("select lease_owner, failure_detail from integration where id = ?",
                result -> new String[] {result.getString(1), result.getString(2)}, id).orElseThrow();
        assertEquals("other-process", row[0], "the lease taken meanwhile is kept");
        assertEquals("changed by the update", row[1], "the update itself is written");
    }

    /** An operation's update of the record it holds does not land once another took the lease between its read and write. */
    @Test
    void anUpdateOfAHeldRecordDoesNotLandAfterTheLeasePassedBetweenItsReadAndItsWrite() {
        UUID id = anIntegration("steps-held");
        database.update("update integration set lease_owner = 'this-operation' where id = ?", id);
        assertThrows(IntegrationStore.LeaseLost.class, () -> store.updateHeld(id, "this-operation", integration -> {
            database.update("update integration set lease_owner = 'the-reconciler' where id = ?", id);
            integration.failureDetail = "written without the lease";
        }));
        assertNull(store.byId(id).orElseThrow().failureDetail, "nothing written");

        database.update("update integration set lease_owner = 'this-operation' where id = ?", id);
        assertEquals("written with the lease",
                store.updateHeld(id, "this-operation", integration -> integration.failureDetail = "written with the lease").failureDetail);
        assertEquals("written with the lease", store.byId(id).orElseThrow().failureDetail);
    }

    /** An update of the caller's copy writes that copy as it is, and the copy goes on to the row's next version. */
    @Test
    void anUpdateOfACurrentCopyWritesItAndMovesItsVersionOn() {
        UUID id = anIntegration("steps-copy");
        Integration copy = store.byId(id).orElseThrow();
        long version = copy.rowVersion;
        Integration written = store.update(copy, integration -> integration.failureDetail = "first");
        assertSame(copy, written, "a current copy is written as it is");
        assertEquals(version + 1, written.rowVersion);
        store.update(written, integration -> integration.failureDetail = "second");
        Integration stored = store.byId(id).orElseThrow();
        assertEquals("second", stored.failureDetail);
        assertEquals(version + 2, stored.rowVersion, "each write of the copy was version-checked against the one before");
    }

    /** A copy read before another write is not written over that write: the change goes onto a fresh read. */
    @Test
    void anUpdateOfAStaleCopyAppliesTheChangeToAFreshRead() {
        UUID id = anIntegration("steps-stale");
        Integration stale = store.byId(id).orElseThrow();
        store.update(id, integration -> integration.failureStep = "written meanwhile");
        Integration written = store.update(stale, integration -> integration.failureDetail = "from the stale copy");
        assertNotSame(stale, written);
        Integration stored = store.byId(id).orElseThrow();
        assertEquals("written meanwhile", stored.failureStep, "the other write is kept");
        assertEquals("from the stale copy", stored.failureDetail, "the change itself is written");
        assertEquals(stored.rowVersion, written.rowVersion);
    }

    /** A create's last change, its state row and the release of its lease commit together (one transaction: one xmin). */
    @Test
    void aCreateEndsWithOneStatementForItsStateItsLastRowsAndItsLease() {
        UUID id = anIntegration("steps-complete");
        String[] record = database.first("select xmin::text, status, lease_owner from integration where id = ?",
                row -> new String[] {row.getString(1), row.getString(2), row.getString(3)}, id).orElseThrow();
        assertEquals("awaiting_finalise", record[1]);
        assertNull(record[2], "the lease is released");
        List<String[]> trail = database.query("select step, outcome, xmin::text from integration_step where integration_id = ? order by id",
                row -> new String[] {row.getString(1), row.getString(2), row.getString(3)}, id);
        String[] last = trail.get(trail.size() - 1);
        assertEquals("complete/state", last[0] + "/" + last[1], "the state row is the trail's last");
        assertEquals(record[0], last[2], "written by the statement that wrote the state and released the lease");
        // the read-back's rows come before it (in that statement too, unless the writer took them first)
        assertEquals(2, trail.stream().filter(row -> row[0].equals("read-back")).count());
    }

    /** A completion from a stale copy writes nothing, neither the change nor its rows nor the release. */
    @Test
    void aCompletionOfAStaleCopyWritesNothing() {
        UUID id = anIntegration("steps-complete-stale");
        database.update("update integration set lease_owner = 'this-process' where id = ?", id);
        Integration stale = store.byId(id).orElseThrow();
        store.update(id, integration -> integration.failureStep = "written meanwhile");
        StepWriter.Row row = new StepWriter.Row(id, "test", "state", null, null, null, null, "stale-completion", "test",
                OffsetDateTime.now(ZoneOffset.UTC));
        assertFalse(store.complete(stale, integration -> integration.failureDetail = "from the stale copy", List.of(row), "this-process"));
        Integration stored = store.byId(id).orElseThrow();
        assertNull(stored.failureDetail);
        assertEquals("this-process", stored.leaseOwner, "the lease is still held");
        assertEquals(0L, database.firstLong("select count(*) from integration_step where detail = 'stale-completion'").orElseThrow());

        Integration current = store.byId(id).orElseThrow();
        assertFalse(store.complete(current, integration -> integration.failureDetail = "from another owner", List.of(row), "other-process"),
                "only the lease's holder completes the record");
        stored = store.byId(id).orElseThrow();
        assertNull(stored.failureDetail);
        assertEquals("this-process", stored.leaseOwner, "another owner's lease is not released");
        assertEquals(0L, database.firstLong("select count(*) from integration_step where detail = 'stale-completion'").orElseThrow());

        assertTrue(store.complete(store.byId(id).orElseThrow(), integration -> integration.failureDetail = "from the holder", List.of(row),
                "this-process"));
        stored = store.byId(id).orElseThrow();
        assertEquals("from the holder", stored.failureDetail);
        assertNull(stored.leaseOwner, "the holder's lease is released");
        assertEquals(1L, database.firstLong("select count(*) from integration_step where detail = 'stale-completion'").orElseThrow());
    }

    /**
     * An operation that outlived its lease, the record since taken by another (the reconciler), does not complete it:
     * neither by its statement nor by the fallback that applies the change to a fresh read.
     */
    @Test
    void aCompletionAfterTheLeasePassedToAnotherWritesNothing() {
        UUID id = anIntegration("steps-complete-lease-lost");
        database.update("update integration set lease_owner = 'the-reconciler' where id = ?", id);
        StepLog log = new StepLog(writer, store, "this-process", id, "t", "test", telemetry, () -> {});
        log.enter("complete");
        assertThrows(IntegrationStore.LeaseLost.class,
                () -> log.complete(store.byId(id).orElseThrow(), integration -> integration.failureDetail = "too late", "too-late"));
        log.finish();
        Integration stored = store.byId(id).orElseThrow();
        assertNull(stored.failureDetail);
        assertEquals("the-reconciler", stored.leaseOwner);
        assertEquals(0L, database.firstLong("select count(*) from integration_step where integration_id = ? and detail = 'too-late'", id)
                .orElseThrow());
    }

    /** A step row the database refuses (here a step name longer than its column) costs only that row, not the state. */
    @Test
    void aRefusedStepRowDoesNotCostTheCompletion() {
        UUID id = anIntegration("steps-complete-refused");
        database.update("update integration set lease_owner = 'this-process' where id = ?", id);
        StepLog log = new StepLog(writer, store, "this-process", id, "t", "test", telemetry, () -> {});
        log.enter("s".repeat(61));
        log.note("ok", "refused-row");
        log.enter("complete");
        log.note("ok", "kept-row");
        Integration written = log.complete(store.byId(id).orElseThrow(), integration -> integration.failureDetail = "completed", "done");
        log.finish();
        assertEquals("completed", written.failureDetail);
        assertEquals("completed", store.byId(id).orElseThrow().failureDetail);
        assertEquals(List.of("kept-row", "done"), database.query("select detail from integration_step where integration_id = ? "
                + "and detail in ('refused-row', 'kept-row', 'done') order by id", row -> row.getString(1), id));
    }

    /** Fields the update leaves as the insert wrote them (the lease: only the lease statements write it). */
    private static final Set<String> WRITTEN_ONCE = Set.of("id", "tenantId", "instanceId", "createdAt", "leaseOwner", "leaseUntil");

    /** Every field of the record survives the insert and the read, and the update writes every one but its identity and lease. */
    @Test
    void everyFieldIsWrittenAndReadBack() throws IllegalAccessException {
        String[] ids = tenantWithInstance("steps-columns", Fakes.of(Fakes.CURRENT));
        Integration draft = new Integration();
        fillEveryField(draft, 1);
        draft.id = UUID.randomUUID();
        draft.tenantId = ids[0];
        draft.instanceId = UUID.fromString(ids[1]);
        draft.status = IntegrationStatus.FAILED;
        draft.rowVersion = 0;
        store.begin(draft);
        assertSameFields(draft, store.find(ids[0], draft.id).orElseThrow(), Set.of());
        assertTrue(store.find("another-tenant", draft.id).isEmpty(), "another tenant's id is not found");

        Integration copy = store.byId(draft.id).orElseThrow();
        Integration changed = new Integration();
        fillEveryField(changed, 2);
        changed.status = IntegrationStatus.DELETED;
        store.update(copy, integration -> {
            try {
                copyFields(changed, integration, WRITTEN_ONCE);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
            integration.leaseOwner = "not written by an update";
        });
        Integration stored = store.byId(draft.id).orElseThrow();
        assertEquals(1, stored.rowVersion, "the update moved the version on");
        assertEquals(stored.updatedAt, copy.updatedAt, "the update stamps its time");
        changed.rowVersion = 1;
        changed.updatedAt = copy.updatedAt;
        assertSameFields(changed, stored, WRITTEN_ONCE);
        for (String field : WRITTEN_ONCE) {
            assertSameField(draft, stored, field);
        }
    }

    /** A value for every field that differs between {@code variant}s and between fields. */
    private static void fillEveryField(Integration integration, int variant) throws IllegalAccessException {
        int n = 0;
        for (Field field : Integration.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers())) {
                continue;
            }
            n++;
            Class<?> type = field.getType();
            Object value;
            if (type == String.class) {
                value = "v" + variant + n;
            } else if (type == UUID.class) {
                value = UUID.randomUUID();
            } else if (type == Integer.class || type == int.class) {
                value = 100 * variant + n;
            } else if (type == long.class) {
                value = (long) (100 * variant + n);
            } else if (type == boolean.class) {
                value = variant % 2 == 1;
            } else if (type == OffsetDateTime.class) {
                value = OffsetDateTime.of(2026, variant, n % 28 + 1, 12, 0, 0, 123_456_000, ZoneOffset.UTC);
            } else if (type == List.class) {
                value = List.of("v" + variant + n, "w" + variant + n);
            } else if (type == IntegrationStatus.class) {
                value = IntegrationStatus.ACTIVE;
            } else {
                throw new AssertionError("no test value for " + field.getName() + " of type " + type.getName() + ": add one");
            }
            field.set(integration, value);
        }
    }

    private static void copyFields(Integration from, Integration to, Set<String> except) throws IllegalAccessException {
        for (Field field : Integration.class.getFields()) {
            if (!Modifier.isStatic(field.getModifiers()) && !except.contains(field.getName()) && !field.getName().equals("rowVersion")) {
                field.set(to, field.get(from));
            }
        }
    }

    private static void assertSameFields(Integration expected, Integration actual, Set<String> except) throws IllegalAccessException {
        for (Field field : Integration.class.getFields()) {
            if (!Modifier.isStatic(field.getModifiers()) && !except.contains(field.getName())) {
                assertSameField(expected, actual, field.getName());
            }
        }
    }

    private static void assertSameField(Integration expected, Integration actual, String name) {
        try {
            Field field = Integration.class.getField(name);
            Object want = field.get(expected);
            Object got = field.get(actual);
            if (want instanceof OffsetDateTime time && got instanceof OffsetDateTime stored) {
                assertTrue(time.isEqual(stored), name + ": expected " + time + ", read " + stored);
            } else {
                assertEquals(want, got, name);
            }
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** A lease says the record's version when it was taken, and nothing when another process holds it. */
    @Test
    void aLeaseSaysTheVersionItWasTakenAt() {
        UUID id = anIntegration("steps-lease-version");
        Integration copy = store.byId(id).orElseThrow();
        assertEquals(copy.rowVersion, store.tryLease(id, "this-process", Duration.ofMinutes(1)).orElseThrow());
        assertTrue(store.tryLease(id, "other-process", Duration.ofMinutes(1)).isEmpty(), "an unexpired lease of another process is refused");
        store.releaseLease(id, "this-process");
    }

    /** Work under the lease gets the caller's copy when nothing changed the record since, and a fresh read when something did. */
    @Test
    void workUnderTheLeaseGetsTheCallersCopyOnlyWhileItIsCurrent() {
        UUID id = anIntegration("steps-lease-copy");
        Integration current = store.byId(id).orElseThrow();
        assertSame(current, service.underLease(current, "test", (copy, log) -> copy), "a current copy is not read again");

        Integration stale = store.byId(id).orElseThrow();
        store.update(id, integration -> integration.failureDetail = "written meanwhile");
        Integration given = service.underLease(stale, "test", (copy, log) -> copy);
        assertNotSame(stale, given);
        assertEquals("written meanwhile", given.failureDetail, "a stale copy is replaced by a fresh read");
        assertTrue(store.tryLease(id, "other-process", Duration.ofMinutes(1)).isPresent(), "the lease was released after the work");
        store.releaseLease(id, "other-process");
    }
}
