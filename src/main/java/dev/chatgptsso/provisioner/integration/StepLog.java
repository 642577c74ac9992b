package dev.chatgptsso.provisioner.integration;

import dev.chatgptsso.provisioner.authentik.AuthentikCallException;
import dev.chatgptsso.provisioner.authentik.AuthentikCallObserver;
import java.util.UUID;

/** Writes every authentik call of one workflow run into the integration's step log, under the current step. */
final class StepLog implements AuthentikCallObserver {
    private final IntegrationStore store;
    private final UUID integrationId;
    private String step = "start";

    StepLog(IntegrationStore store, UUID integrationId) {
        this.store = store;
        this.integrationId = integrationId;
    }

    void enter(String step) {
        this.step = step;
    }

    String step() {
        return step;
    }

    void state(String detail) {
        store.recordStep(integrationId, step, "state", null, null, null, null, detail);
    }

    void note(String outcome, String detail) {
        store.recordStep(integrationId, step, outcome, null, null, null, null, detail);
    }

    @Override
    public void called(String method, String path, Integer status, long millis, AuthentikCallException failure) {
        store.recordStep(integrationId, step, failure == null ? "ok" : "failed", method, path, status, millis,
                failure == null ? null : failure.getMessage());
    }
}
