package dev.chatgptsso.provisioner.integration;

import dev.chatgptsso.provisioner.authentik.AuthentikCallException;
import dev.chatgptsso.provisioner.authentik.AuthentikCallObserver;
import dev.chatgptsso.provisioner.telemetry.Telemetry;
import io.opentelemetry.context.Context;
import java.util.UUID;

/**
 * The audit trail of one operation on one integration: every authentik call (method, path,
 * status, duration; never a body), every state change and note, each with who asked. Entering a
 * step also renews the operation's lease, so a long operation keeps its integration. Each step is
 * also a span and a {@code provisioner.step} timer sample; {@link #finish()} ends the last one.
 */
final class StepLog implements AuthentikCallObserver {
    private final IntegrationStore store;
    private final UUID integrationId;
    private final String actor;
    private final Runnable onStep;
    private final Telemetry telemetry;
    private final String tenantId;
    private volatile String step = "start";
    private Telemetry.StepSpan span;
    private volatile boolean stepFailed;

    StepLog(IntegrationStore store, UUID integrationId, String tenantId, String actor, Telemetry telemetry, Runnable onStep) {
        this.store = store;
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

    /** Ends the current step's span; the operation is over. */
    synchronized void finish() {
        endSpan();
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
        store.recordStep(integrationId, step, "state", null, null, null, null, status, actor);
    }

    void note(String outcome, String detail) {
        stepFailed |= "failed".equals(outcome);
        store.recordStep(integrationId, step, outcome, null, null, null, null, detail, actor);
    }

    void audit(String detail) {
        store.recordStep(integrationId, step, "audit", null, null, null, null, detail, actor);
    }

    @Override
    public void called(String method, String path, Integer status, long millis, AuthentikCallException failure) {
        stepFailed |= failure != null;
        store.recordStep(integrationId, step, failure == null ? "ok" : "failed", method, path, status, millis,
                failure == null ? null : failure.getMessage(), actor);
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
