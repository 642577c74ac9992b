package dev.chatgptsso.provisioner.integration;

import dev.chatgptsso.provisioner.Database;
import dev.chatgptsso.provisioner.authentik.AuthentikCallException;
import dev.chatgptsso.provisioner.authentik.AuthentikCallObserver;
import dev.chatgptsso.provisioner.telemetry.Telemetry;
import io.quarkus.logging.Log;
import io.opentelemetry.context.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The audit trail of one operation on one integration: every authentik call (method, path,
 * status, duration; never a body), every state change and note, each with who asked. Entering a
 * step also renews the operation's lease, so a long operation keeps its integration. Each step is
 * also a span and a {@code provisioner.step} timer sample; {@link #finish()} ends the last one. Rows go through
 * the {@link StepWriter}; {@code finish()} waits until they are written. An operation that ends with a change to its
 * record ends with {@link #complete} instead: that change, its last rows and the lease's release are one statement.
 */
final class StepLog implements AuthentikCallObserver {
    private final StepWriter writer;
    private final IntegrationStore store;
    private final String leaseOwner;
    private final UUID integrationId;
    private final String actor;
    private final Runnable onStep;
    private final Telemetry telemetry;
    private final String tenantId;
    private volatile String step = "start";
    private Telemetry.StepSpan span;
    private volatile boolean stepFailed;
    /** The sequence numbers of this log's rows handed to the writer and not taken back. */
    private final List<Long> queuedRows = new ArrayList<>();
    private volatile boolean leaseReleased;

    /** {@code leaseOwner}: who holds the integration's lease during this operation ({@link #complete} releases it). */
    StepLog(StepWriter writer, IntegrationStore store, String leaseOwner, UUID integrationId, String tenantId, String actor,
            Telemetry telemetry, Runnable onStep) {
        this.writer = writer;
        this.store = store;
        this.leaseOwner = leaseOwner;
        this.integrationId = integrationId;
        this.tenantId = tenantId;
        this.actor = actor;
        this.telemetry = telemetry;
        this.onStep = onStep;
    }

    synchronized void enter(String step) {
        endSpan();
        this.step = step;
        this.stepFailed = false;
        this.span = telemetry.startStep(step, integrationId.toString(), tenantId);
        onStep.run();
    }

    /** Ends the current step's span and waits until this operation's rows are written; the operation is over. */
    synchronized void finish() {
        endSpan();
        writer.awaitWritten(lastQueued());
    }

    /**
     * Ends the operation with its last change to the record, in one statement: {@code change} written to
     * {@code current} (version-checked), this operation's rows the writer has not written yet, a {@code state} row,
     * and the release of the lease. So no other operation can take the record before its trail is complete, and the
     * state row commits with the state. When the record changed since {@code current} was read, the change is applied
     * to a fresh read and the rows and the release go their usual way. A statement whose answer was lost is looked
     * for ({@link IntegrationStore#complete}); when even that fails, the rows go back to the writer (written twice if
     * the statement did commit) and {@link IntegrationStore.CompletionUnknown} is raised. Returns the record as written.
     */
    Integration complete(Integration current, Consumer<Integration> change, String state) {
        List<StepWriter.Row> rows = new ArrayList<>();
        synchronized (this) {
            endSpan();
            List<StepWriter.Queued> taken = writer.take(this);
            synchronized (queuedRows) {
                taken.forEach(entry -> queuedRows.remove(Long.valueOf(entry.sequence())));
            }
            taken.forEach(entry -> rows.add(entry.row()));
        }
        writer.awaitWritten(lastQueued()); // rows the writer took before us come first in the trail
        StepWriter.Row stateRow = row("state", null, null, null, null, state);
        rows.add(stateRow);
        boolean written;
        try {
            written = store.complete(current, change, rows, leaseOwner);
        } catch (RuntimeException e) {
            if (!StepWriter.refusedRow(e)) {
                requeue(rows, stateRow, e);
                throw e;
            }
            written = false; // a row the database refuses must not cost the state: the writer drops that row alone
        }
        if (written) {
            leaseReleased = true;
            return current;
        }
        Integration fresh;
        try {
            fresh = store.updateHeld(current.id, leaseOwner, change);
        } catch (RuntimeException e) {
            requeue(rows, stateRow, e);
            throw e;
        }
        requeue(rows, null, null);
        return fresh;
    }

    /** Whether {@link #complete} released the lease (the caller need not). */
    boolean leaseReleased() {
        return leaseReleased;
    }

    /**
     * Hands rows back to the writer, all but {@code except}. A writer that cannot take them (full, or stopped) costs
     * those rows, never the operation's outcome: its refusal is added to {@code failure}, or logged without one.
     */
    private void requeue(List<StepWriter.Row> rows, StepWriter.Row except, RuntimeException failure) {
        try {
            for (StepWriter.Row row : rows) {
                if (row != except) {
                    synchronized (queuedRows) {
                        queuedRows.add(writer.add(row, this));
                    }
                }
            }
        } catch (RuntimeException refused) {
            if (failure != null) {
                failure.addSuppressed(refused);
            } else {
                Log.warnf("integration %s: its last step rows were not written (%s)", integrationId, refused.getMessage());
            }
        }
    }

    private long lastQueued() {
        synchronized (queuedRows) {
            return queuedRows.stream().mapToLong(Long::longValue).max().orElse(0);
        }
    }

    private void record(String outcome, String method, String path, Integer status, Long millis, String detail) {
        synchronized (queuedRows) { // so that complete() never takes back a row whose sequence is not noted yet
            queuedRows.add(writer.add(row(outcome, method, path, status, millis, detail), this));
        }
    }

    private StepWriter.Row row(String outcome, String method, String path, Integer status, Long millis, String detail) {
        return new StepWriter.Row(integrationId, step, outcome, method, path, status, millis, detail, actor, Database.now());
    }

    private void endSpan() {
        if (span != null) {
            span.end(stepFailed);
            span = null;
        }
    }

    String step() {
        return step;
    }

    UUID integrationId() {
        return integrationId;
    }

    String actor() {
        return actor;
    }

    void state(String status) {
        record("state", null, null, null, null, status);
    }

    void note(String outcome, String detail) {
        stepFailed |= "failed".equals(outcome);
        record(outcome, null, null, null, null, detail);
    }

    void audit(String detail) {
        record("audit", null, null, null, null, detail);
    }

    @Override
    public void called(String method, String path, Integer status, long millis, AuthentikCallException failure) {
        stepFailed |= failure != null;
        record(failure == null ? "ok" : "failed", method, path, status, millis, failure == null ? null : failure.getMessage());
    }

    @Override
    public synchronized Context traceParent() {
        return span == null ? Context.current() : span.context();
    }

    @Override
    public String integrationTag() {
        return integrationId.toString();
    }
}
