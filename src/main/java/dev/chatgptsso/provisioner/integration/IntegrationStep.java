package dev.chatgptsso.provisioner.integration;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** One entry of an integration's step log: an authentik call (never its body) or a state change. */
@Entity
@Table(name = "integration_step")
public class IntegrationStep {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "integration_id", nullable = false)
    public UUID integrationId;

    @Column(nullable = false)
    public String step;

    /** {@code ok}, {@code failed}, {@code state} (a status change) or {@code audit} (e.g. a credentials read). */
    @Column(nullable = false)
    public String outcome;

    @Column(name = "http_method")
    public String httpMethod;

    @Column(name = "http_path")
    public String httpPath;

    @Column(name = "http_status")
    public Integer httpStatus;

    @Column(name = "duration_ms")
    public Long durationMs;

    public String detail;

    /** Who asked: the API key id or JWT subject of the request, or {@code reconciler}. */
    public String actor;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;
}
