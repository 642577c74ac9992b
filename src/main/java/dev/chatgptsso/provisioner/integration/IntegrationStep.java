package dev.chatgptsso.provisioner.integration;

import java.time.OffsetDateTime;
import java.util.UUID;

/** One entry of an integration's step log (a row of {@code integration_step}): an authentik call (never its body) or a state change. */
public class IntegrationStep {
    public Long id;

    public UUID integrationId;

    public String step;

    /** {@code ok}, {@code failed}, {@code state} (a status change) or {@code audit} (e.g. a credentials read). */
    public String outcome;

    public String httpMethod;

    public String httpPath;

    public Integer httpStatus;

    public Long durationMs;

    public String detail;

    /** Who asked: the API key id or JWT subject of the request, or {@code reconciler}. */
    public String actor;

    public OffsetDateTime createdAt;
}
