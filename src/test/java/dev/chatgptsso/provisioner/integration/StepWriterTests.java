package dev.chatgptsso.provisioner.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chatgptsso.provisioner.fakeauthentik.FakeAuthentik;
import dev.chatgptsso.provisioner.support.ApiTestSupport;
import dev.chatgptsso.provisioner.support.Fakes;
import io.quarkus.arc.ClientProxy;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import dev.chatgptsso.provisioner.Database;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The step-log writer: every queued row is written, in the order each thread queued it, also when one row fails. */
@QuarkusTest
class StepWriterTests extends ApiTestSupport {
    @Inject
    StepWriter writer;

    @Inject
    Database database;

    private UUID anIntegration(String prefix) {
        FakeAuthentik fake = Fakes.of(Fakes.CURRENT);
        String[] ids = tenantWithInstance(prefix, fake);
        return UUID.fromString(createIntegration(ids[0], oidcRequest(ids[1], "chatgpt")).then().statusCode(201).extract().path("id"));
    }

    private static StepWriter.Row row(UUID integrationId, String detail) {
        return new StepWriter.Row(integrationId, "test", "ok", null, null, null, null, detail, "test", OffsetDateTime.now(ZoneOffset.UTC));
    }

    /** The details of the integration's rows whose detail starts with {@code prefix}, in id order. */
    @SuppressWarnings("unchecked")
    private List<String> details(UUID integrationId, String prefix) {
        return database.query("select detail from integration_step where integration_id = ? and detail like ? order by id",
                row -> row.getString(1), integrationId, prefix + "%");
    }

    @Test
    void rowsQueuedByManyThreadsAreAllWrittenEachThreadInItsOrder() throws Exception {
        UUID id = anIntegration("steps-order");
        int threads = 4;
        int perThread = 400; // 1,600 rows: more than MAX_BATCH, so several statements
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Long>> lasts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            lasts.add(pool.submit(() -> {
                long last = 0;
                for (int i = 0; i < perThread; i++) {
                    last = writer.add(row(id, "order-t" + thread + "-" + String.format("%04d", i)));
                }
                return last;
            }));
        }
        long last = 0;
        for (Future<Long> f : lasts) {
            last = Math.max(last, f.get());
        }
        pool.shutdown();
        writer.awaitWritten(last);

        List<String> written = details(id, "order-");
        assertEquals(threads * perThread, written.size(), "every queued row is in the table once awaitWritten returns");
        for (int t = 0; t < threads; t++) {
            String prefix = "order-t" + t + "-";
            List<String> ofThread = written.stream().filter(d -> d.startsWith(prefix)).toList();
            List<String> sorted = ofThread.stream().sorted().toList();
            assertEquals(perThread, ofThread.size());
            assertEquals(sorted, ofThread, "thread " + t + "'s rows keep the order it queued them in");
        }
    }

    /** Rows queued a few milliseconds apart while nobody waits for them share one statement (one transaction: one xmin). */
    @Test
    void rowsQueuedWhileNobodyWaitsShareAStatement() throws InterruptedException {
        UUID id = anIntegration("steps-linger");
        long last = 0;
        for (int i = 0; i < 3; i++) {
            last = writer.add(row(id, "linger-" + i));
            Thread.sleep(2); // without the linger the writer takes each row on its own
        }
        writer.awaitWritten(last);
        List<String> transactions = database.query("select xmin::text from integration_step where integration_id = ? and detail like 'linger-%'",
                row -> row.getString(1), id);
        assertEquals(3, transactions.size());
        assertEquals(1, transactions.stream().distinct().count(), "one statement for the three rows: " + transactions);
    }

    /** An operation takes back only its own queued rows; the others' are written, and waiting for them ends. */
    @Test
    void takingBackItsRowsLeavesTheOthersToTheWriter() {
        UUID id = anIntegration("steps-take");
        Object mine = new Object();
        Object theirs = new Object();
        List<StepWriter.Queued> taken;
        long last;
        synchronized (ClientProxy.unwrap(writer)) { // the writer cannot take the queue meanwhile
            writer.add(row(id, "take-mine-1"), mine);
            writer.add(row(id, "take-theirs-1"), theirs);
            writer.add(row(id, "take-mine-2"), mine);
            last = writer.add(row(id, "take-theirs-2"), theirs);
            taken = writer.take(mine);
        }
        assertEquals(List.of("take-mine-1", "take-mine-2"), taken.stream().map(q -> q.row().detail()).toList());
        writer.awaitWritten(last);
        assertEquals(List.of("take-theirs-1", "take-theirs-2"), details(id, "take-"));
        assertTrue(writer.take(mine).isEmpty());
    }

    /** When the row the writer lingers for is taken back, the rows queued after it linger their own time. */
    @Test
    void aRowTakenBackDoesNotCutShortTheLingerOfTheNextRows() throws InterruptedException {
        UUID id = anIntegration("steps-take-linger");
        Object mine = new Object();
        writer.add(row(id, "taken-back"), mine);
        Thread.sleep(10);
        assertEquals(1, writer.take(mine).size());
        long last = 0;
        for (int i = 0; i < 3; i++) {
            last = writer.add(row(id, "after-take-" + i));
            Thread.sleep(6); // the third row comes after the taken row's 20 ms, within the first next row's
        }
        writer.awaitWritten(last);
        List<String> transactions = database.query("select xmin::text from integration_step where integration_id = ? "
                + "and detail like 'after-take-%'", row -> row.getString(1), id);
        assertEquals(3, transactions.size());
        assertEquals(1, transactions.stream().distinct().count(), "one statement for the three rows: " + transactions);
    }

    @Test
    void onlyDataAndConstraintErrorsCountAsARefusedRowOtherFailuresAreRetried() {
        assertTrue(StepWriter.refusedRow(new IllegalStateException("x", new java.sql.SQLException("fk", "23503"))));
        assertTrue(StepWriter.refusedRow(new java.sql.SQLException("too long", "22001")));
        assertFalse(StepWriter.refusedRow(new IllegalStateException("x", new java.sql.SQLException("connection lost", "08006"))));
        assertFalse(StepWriter.refusedRow(new IllegalStateException("pool exhausted")));
    }

    @Test
    void aRowThatCannotBeWrittenDoesNotTakeTheRestOfItsBatchWithIt() {
        UUID id = anIntegration("steps-bad");
        long last;
        // holding the writer's monitor keeps its thread from taking the queue until all three rows are in: one batch
        synchronized (ClientProxy.unwrap(writer)) {
            writer.add(row(id, "batch-before"));
            writer.add(row(UUID.randomUUID(), "batch-no-such-integration")); // refused by the foreign key
            last = writer.add(row(id, "batch-after"));
        }
        writer.awaitWritten(last);

        assertEquals(List.of("batch-before", "batch-after"), details(id, "batch-"));
        assertTrue(details(id, "batch-no-such").isEmpty());
    }
}
