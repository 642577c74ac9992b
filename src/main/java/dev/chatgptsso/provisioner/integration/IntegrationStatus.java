package dev.chatgptsso.provisioner.integration;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** Life of an integration: provisioning → awaiting_finalise → active → deleting → deleted, or failed (compensated). */
public enum IntegrationStatus {
    PROVISIONING("provisioning"),
    AWAITING_FINALISE("awaiting_finalise"),
    ACTIVE("active"),
    FAILED("failed"),
    /** Removal in authentik started; a retry (or the reconciler) finishes it. */
    DELETING("deleting"),
    /** Removed from authentik (or released, when adopted); the record stays readable. */
    DELETED("deleted");

    private final String value;

    IntegrationStatus(String value) {
        this.value = value;
    }

    @JsonValue
    public String value() {
        return value;
    }

    /** Holds its application slug on its instance (the partial unique index {@code integration_live_slug_unique}). */
    public boolean isLive() {
        return this == PROVISIONING || this == AWAITING_FINALISE || this == ACTIVE || this == DELETING;
    }

    public static Optional<IntegrationStatus> of(String value) {
        return Arrays.stream(values()).filter(s -> s.value.equals(value)).findFirst();
    }
}
