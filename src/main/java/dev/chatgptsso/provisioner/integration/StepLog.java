package dev.chatgptsso.provisioner.integration;

import dev.chatgptsso.provisioner.Database;
import dev.chatgptsso.provisioner.authentik.AuthentikCallException;
import dev.chatgptsso.provisioner.authentik.AuthentikCallObserver;
import dev.chatgptsso.provisioner.telemetry.Telemetry;
import io.opentelemetry.context.Context;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The audit trail of one operation on one integration: every authentik call (method, path,
 * status, duration; never a body), every state change and note, each with who asked. Entering a
 * step also renews the operation's lease, so a long operation keeps its integration. Each step is
 * also a span and a {@code provisioner.step} timer sample; {@link #finish()} ends the last one. Rows go through
 * the {@link StepWriter}; {@code finish()} waits until they are written.
 */
final class StepLog implements AuthentikCallObserver {
    private final StepWriter writer;
    private final UUID integrationId;
    private final String actor;
    private final Runnable onStep;
    private final Telemetry telemetry;
    private final String tenantId;
    private volatile String step = "start";
    private Telemetry.StepSpan span;
    private volatile boolean stepFailed;
    private final AtomicLong lastRow = new AtomicLong();

    StepLog(StepWriter writer, UUID integrationId, String tenantId, String actor, Telemetry telemetry, Runnable onStep) {
        this.writer = writer;
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
        writer.awaitWritten(lastRow.get());
    }

    private void record(String outcome, String method, String path, Integer status, Long millis, String detail) {
        long sequence = writer.add(new StepWriter.Row(integrationId, step, outcome, method, path, status, millis, detail, actor,
                Database.now()));
        lastRow.accumulateAndGet(sequence, Math::max);
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
