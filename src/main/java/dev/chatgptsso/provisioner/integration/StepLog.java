package dev.chatgptsso.provisioner.integration;

import dev.chatgptsso.provisioner.authentik.AuthentikCallException;
import dev.chatgptsso.provisioner.authentik.AuthentikCallObserver;
import java.util.UUID;

/**
 * The audit trail of one operation on one integration: every authentik call (method, path,
 * status, duration; never a body), every state change and note, each with who asked. Entering a
 * step also renews the operation's lease, so a long operation keeps its integration.
 */
final class StepLog implements AuthentikCallObserver {
    private final IntegrationStore store;
    private final UUID integrationId;
    private final String actor;
    private final Runnable onStep;
    private volatile String step = "start";

    StepLog(IntegrationStore store, UUID integrationId, String actor, Runnable onStep) {
        this.store = store;
        this.integrationId = integrationId;
        this.actor = actor;
        this.onStep = onStep;
    }

    void enter(String step) {
        this.step = step;
        onStep.run();
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
        store.recordStep(integrationId, step, outcome, null, null, null, null, detail, actor);
    }

    void audit(String detail) {
        store.recordStep(integrationId, step, "audit", null, null, null, null, detail, actor);
    }

    @Override
    public void called(String method, String path, Integer status, long millis, AuthentikCallException failure) {
        store.recordStep(integrationId, step, failure == null ? "ok" : "failed", method, path, status, millis,
                failure == null ? null : failure.getMessage(), actor);
    }
}
