package dev.chatgptsso.provisioner.integration;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.chatgptsso.provisioner.Database;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Persistence of integrations, their leases and their step log. Every method is one SQL statement (a page is two)
 * committed on its own, so the workflow never holds a transaction open while it talks to authentik.
 *
 * <p>State and authentik keys are committed durably. Step-log rows and lease renewals and releases
 * are committed without waiting for the WAL flush ({@code synchronous_commit = off}): they are
 * visible at once and in order, and a crash of PostgreSQL itself (not of this service) can lose
 * at most its last few hundred milliseconds of them; a lost release only delays a lease's expiry.
 * That saves a disk flush per authentik call on the request's critical path.
 *
 * <p>A record is changed by one version-checked UPDATE of every column but its identity, its creation time and its
 * lease; only the lease statements write the lease. Step-log rows are written in batches by the {@link StepWriter}.
 */
@ApplicationScoped
public class IntegrationStore {
    /** Prefix of a statement whose commit does not wait for the WAL flush; {@code set_config(..., true)} lasts until its commit. */
    private static final String RELAXED = "with relaxed as (select set_config('synchronous_commit', 'off', true)) ";
    private static final TypeReference<ArrayList<String>> STRINGS = new TypeReference<>() {};

    /** Written once, by the insert. */
    private static final List<String> IDENTITY = List.of("id", "tenant_id", "instance_id", "created_at");
    /** Written by the insert and by every update; keep in the order of {@link #changeable(Integration)}. */
    private static final List<String> CHANGEABLE = List.of("protocol", "status", "app_name", "app_slug", "app_group",
            "policy_engine_mode", "authorization_flow_slug", "signing_key_id", "authentik_version", "provider_name", "client_id",
            "application_pk", "provider_pk", "property_mapping_pks", "issuer", "discovery_endpoint", "redirect_uris",
            "login_redirect_uri", "failure_step", "failure_status", "failure_detail", "cleanup_pending", "adopted", "signing_key_pk",
            "saml_entity_id", "saml_sso_url", "saml_slo_url", "saml_metadata_url", "saml_acs_url", "saml_audience",
            "saml_certificate_pem", "certificate_fingerprint", "pending_operation", "pending_target", "deleted_at", "updated_at");
    /** Written by the insert; afterwards only by the lease statements. */
    private static final List<String> LEASE = List.of("lease_owner", "lease_until");
    private static final Set<String> JSON_COLUMNS = Set.of("property_mapping_pks", "redirect_uris");

    private static final String COLUMNS = String.join(", ", IDENTITY) + ", " + String.join(", ", CHANGEABLE) + ", "
            + String.join(", ", LEASE) + ", row_version";
    private static final String INSERT = "insert into integration (" + COLUMNS + ") values ("
            + placeholders(IDENTITY) + ", " + placeholders(CHANGEABLE) + ", " + placeholders(LEASE) + ", ?)";
    private static final String UPDATE_SET = "update integration set "
            + CHANGEABLE.stream().map(column -> column + " = " + placeholder(column)).collect(Collectors.joining(", "))
            + ", row_version = row_version + 1";
    private static final String UPDATE = UPDATE_SET + " where id = ? and row_version = ?";
    private static final String STEP_INSERT = "insert into integration_step (integration_id, step, outcome, http_method, http_path, "
            + "http_status, duration_ms, detail, actor, created_at) select v.integration_id, v.step, v.outcome, v.http_method, "
            + "v.http_path, v.http_status, v.duration_ms, v.detail, v.actor, v.created_at from (values ";
    private static final String SELECT = "select " + COLUMNS + " from integration ";
    private static final String LIVE = "status in ('provisioning', 'awaiting_finalise', 'active', 'deleting')";
    /** How often {@link #update(UUID, Consumer)} reads again when another write lands between its read and its write. */
    private static final int UPDATE_ATTEMPTS = 3;

    private final Database database;

    IntegrationStore(Database database) {
        this.database = database;
    }

    /** Inserts a new record; a unique index that refuses it (the live slug) raises {@link Database.UniqueViolation}. */
    public Integration begin(Integration draft) {
        List<Object> values = new ArrayList<>(List.of(draft.id, draft.tenantId, draft.instanceId, draft.createdAt));
        values.addAll(changeable(draft));
        values.add(draft.leaseOwner);
        values.add(draft.leaseUntil);
        values.add(draft.rowVersion);
        database.update(INSERT, values.toArray());
        return draft;
    }

    /** The tenant's integration by id; another tenant's id is simply not found. */
    public Optional<Integration> find(String tenantId, UUID id) {
        return database.first(SELECT + "where id = ? and tenant_id = ?", IntegrationStore::read, id, tenantId);
    }

    public Optional<Integration> byId(UUID id) {
        return database.first(SELECT + "where id = ?", IntegrationStore::read, id);
    }

    /** The live integration (provisioning, awaiting_finalise, active or deleting) using the slug on the instance, if any. */
    public Optional<Integration> liveForSlug(UUID instanceId, String slug) {
        return database.first(SELECT + "where instance_id = ? and app_slug = ? and " + LIVE + " limit 1", IntegrationStore::read,
                instanceId, slug);
    }

    /** Failed integrations on this instance and slug whose attempt may have left objects behind. */
    public List<Integration> failedForSlug(UUID instanceId, String slug) {
        return database.query(SELECT + "where instance_id = ? and app_slug = ? and status = 'failed' and client_id is not null "
                + "order by created_at, id", IntegrationStore::read, instanceId, slug);
    }

    public record PageOf<T>(List<T> items, long total) {}

    public PageOf<Integration> page(String tenantId, Optional<IntegrationStatus> status, int page, int size) {
        String where = status.isPresent() ? "where tenant_id = ? and status = ? " : "where tenant_id = ? ";
        Object[] parameters = status.isPresent() ? new Object[] {tenantId, status.get().value()} : new Object[] {tenantId};
        long total = database.firstLong("select count(*) from integration " + where, parameters).orElse(0);
        List<Object> paged = new ArrayList<>(List.of(parameters));
        paged.add(size);
        paged.add(offset(page, size));
        List<Integration> items = database.query(SELECT + where + "order by created_at, id limit ? offset ?", IntegrationStore::read,
                paged.toArray());
        return new PageOf<>(items, total);
    }

    /**
     * Applies {@code change} to {@code current}, the caller's copy of the record, and writes it without reading the
     * row again: one version-checked UPDATE. When the row has changed since that copy was read or last written
     * (its version moved on), the change is applied to a fresh read instead, as {@link #update(UUID, Consumer)}
     * does; use the copy returned, not {@code current}, after that. Either way {@code current} has the change
     * applied.
     */
    public Integration update(Integration current, Consumer<Integration> change) {
        change.accept(current);
        current.updatedAt = Database.now();
        if (write(current, null)) {
            return current;
        }
        return update(current.id, change);
    }

    /**
     * Reads the record, applies {@code change} and writes it in one version-checked UPDATE; returns what was written.
     * A concurrent write between the read and the write is not overwritten: the change is applied to a fresh read.
     */
    public Integration update(UUID id, Consumer<Integration> change) {
        return update(id, null, change);
    }

    /**
     * As {@link #update(UUID, Consumer)}, for an operation that holds the record's lease as {@code owner}: the UPDATE
     * also requires the lease, and when it has passed to someone else nothing is written and {@link LeaseLost} is raised.
     */
    public Integration updateHeld(UUID id, String owner, Consumer<Integration> change) {
        return update(id, Objects.requireNonNull(owner, "owner"), change);
    }

    private Integration update(UUID id, String leaseOwner, Consumer<Integration> change) {
        for (int attempt = 1; ; attempt++) {
            Integration integration = byId(id).orElseThrow(() -> new IllegalStateException("integration " + id + " does not exist"));
            if (leaseOwner != null && !leaseOwner.equals(integration.leaseOwner)) {
                throw new LeaseLost(id);
            }
            change.accept(integration);
            integration.updatedAt = Database.now();
            if (write(integration, leaseOwner)) {
                return integration;
            }
            if (attempt == UPDATE_ATTEMPTS) {
                throw new IllegalStateException("integration " + id + " kept changing under " + UPDATE_ATTEMPTS + " attempts to update it");
            }
        }
    }

    /**
     * Applies {@code change} to {@code current} and writes it as {@link #update(Integration, Consumer)} does, together
     * with {@code rows} (step-log rows, in order) and the release of {@code owner}'s lease, in one statement. False
     * when the row's version moved on since {@code current}, or {@code owner} no longer holds its lease: then nothing
     * was written.
     */
    boolean complete(Integration current, Consumer<Integration> change, List<StepWriter.Row> rows, String owner) {
        change.accept(current);
        current.updatedAt = Database.now();
        List<Object> values = changeable(current);
        values.add(current.id);
        values.add(current.rowVersion);
        values.add(owner);
        StringBuilder sql = new StringBuilder("with updated as (").append(UPDATE_SET)
                .append(", lease_owner = null, lease_until = null where id = ? and row_version = ? and lease_owner = ? returning id)");
        if (!rows.isEmpty()) {
            // the rows are written only with the change (the join with updated), in the order given
            sql.append(", steps as (").append(STEP_INSERT);
            appendStepValues(rows, sql, values);
            sql.append(", updated order by v.ordinal)");
        }
        sql.append(" select count(*) from updated");
        long written;
        try {
            written = database.firstLong(sql.toString(), values.toArray()).orElse(0);
        } catch (RuntimeException e) {
            if (StepWriter.refusedRow(e) || !landed(current, e)) {
                throw e;
            }
            written = 1; // the statement committed; only its answer was lost
        }
        if (written != 1) {
            return false;
        }
        current.rowVersion++;
        return true;
    }

    /**
     * Whether a completing statement that failed without a clear answer (its connection broke, perhaps after the
     * commit) committed anyway: the row then carries the version and the update time that statement wrote, which
     * nothing else writes while the operation holds the lease. Raises {@link CompletionUnknown} when the row cannot
     * be read either.
     */
    private boolean landed(Integration attempted, RuntimeException failure) {
        try {
            return database.firstLong("select count(*) from integration where id = ? and row_version = ? and updated_at = ?",
                    attempted.id, attempted.rowVersion + 1, attempted.updatedAt).orElse(0) == 1;
        } catch (RuntimeException unreadable) {
            CompletionUnknown unknown = new CompletionUnknown(attempted.id, failure);
            unknown.addSuppressed(unreadable);
            throw unknown;
        }
    }

    /**
     * An operation can no longer decide how its record ends, so it must not clean up after itself: either nobody can
     * tell whether its end was recorded, or the record has passed to another holder of its lease.
     */
    public abstract static sealed class Unsettled extends IllegalStateException permits CompletionUnknown, LeaseLost {
        Unsettled(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * An operation's completing statement failed and the record could not be read to see whether it committed: the
     * record is either completed, with its lease released, or as it was before, with the lease still held.
     */
    public static final class CompletionUnknown extends Unsettled {
        CompletionUnknown(UUID id, RuntimeException failure) {
            super("integration " + id + ": the statement completing the operation failed (" + failure.getMessage()
                    + ") and the record could not be read to see whether it committed", failure);
        }
    }

    /** The operation's lease ran out and someone else (the reconciler) holds the record now: it decides how it ends. */
    public static final class LeaseLost extends Unsettled {
        LeaseLost(UUID id) {
            super("integration " + id + ": the operation's lease ran out and another holds the record", null);
        }
    }

    /**
     * The version-checked UPDATE, also requiring {@code leaseOwner}'s lease unless that is null; on success the copy's
     * version moves on with the row's.
     */
    private boolean write(Integration integration, String leaseOwner) {
        List<Object> values = changeable(integration);
        values.add(integration.id);
        values.add(integration.rowVersion);
        if (leaseOwner != null) {
            values.add(leaseOwner);
        }
        if (database.update(leaseOwner == null ? UPDATE : UPDATE + " and lease_owner = ?", values.toArray()) != 1) {
            return false;
        }
        integration.rowVersion++;
        return true;
    }

    /**
     * Takes the integration for {@code owner} until now + {@code duration}, if nobody else holds an
     * unexpired lease on it. One UPDATE, so two processes can never both succeed. Returns the record's version at
     * that moment (empty when the lease is held by someone else): a copy read earlier with the same version is
     * still current, since every change to the record but the lease statements moves the version on.
     */
    public OptionalLong tryLease(UUID id, String owner, Duration duration) {
        return database.firstLong("update integration set lease_owner = ?, lease_until = now() + make_interval(secs => ?) "
                + "where id = ? and (lease_until is null or lease_until < now() or lease_owner = ?) returning row_version",
                owner, (double) duration.toMillis() / 1000, id, owner);
    }

    /** Extends a lease this owner holds; false when it was lost (expired and taken by someone else). */
    public boolean renewLease(UUID id, String owner, Duration duration) {
        return database.update(RELAXED + "update integration set lease_until = now() + make_interval(secs => ?) from relaxed "
                + "where id = ? and lease_owner = ?", (double) duration.toMillis() / 1000, id, owner) == 1;
    }

    public void releaseLease(UUID id, String owner) {
        database.update(RELAXED + "update integration set lease_owner = null, lease_until = null from relaxed where id = ? and lease_owner = ?",
                id, owner);
    }

    /**
     * Records left mid-operation whose lease has run out, plus failed attempts whose clean-up is
     * still pending and has had {@code settle} for late writes to land: what the reconciler finishes. Oldest first.
     */
    public List<UUID> unfinished(int limit, Duration settle) {
        return database.query("select id from integration where " + UNFINISHED + " order by updated_at limit ?",
                row -> Database.uuid(row, "id"), (double) settle.toMillis() / 1000, limit);
    }

    /** How many records wait for the reconciler (its backlog). */
    public long unfinishedCount(Duration settle) {
        return database.firstLong("select count(*) from integration where " + UNFINISHED, (double) settle.toMillis() / 1000).orElse(0);
    }

    private static final String UNFINISHED = "(lease_until is null or lease_until < now()) and (status in ('provisioning', 'deleting') "
            + "or pending_operation is not null "
            + "or (status = 'failed' and cleanup_pending and updated_at < now() - make_interval(secs => ?)))";

    /** How many records there are in each status (statuses without one are absent). */
    public Map<String, Long> countByStatus() {
        return database.query("select status, count(*) from integration group by status",
                row -> Map.entry(row.getString(1), row.getLong(2))).stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** Step-log rows in one multi-row INSERT, in the order given (their ids follow it); see {@link StepWriter}. */
    void insertSteps(List<StepWriter.Row> rows) {
        StringBuilder sql = new StringBuilder(RELAXED).append(STEP_INSERT);
        List<Object> parameters = new ArrayList<>(rows.size() * 11);
        appendStepValues(rows, sql, parameters);
        // the ids follow the order of the select, so the rows keep the order they were queued in
        sql.append(", relaxed order by v.ordinal");
        database.update(sql.toString(), parameters.toArray());
    }

    /** The rows as a {@code values} list named {@code v}, each with its ordinal; their parameters go to {@code parameters}. */
    private static void appendStepValues(List<StepWriter.Row> rows, StringBuilder sql, List<Object> parameters) {
        for (int i = 0; i < rows.size(); i++) {
            StepWriter.Row row = rows.get(i);
            sql.append(i == 0 ? "" : ", ").append("(?::integer, ?::uuid, ?::text, ?::text, ?::text, ?::text, ?::integer, ?::bigint, ?::text, ?::text, ?::timestamptz)");
            parameters.add(i);
            parameters.add(row.integrationId());
            parameters.add(row.step());
            parameters.add(row.outcome());
            parameters.add(row.method());
            parameters.add(row.path());
            parameters.add(row.status());
            parameters.add(row.durationMs());
            parameters.add(row.detail());
            parameters.add(row.actor());
            parameters.add(row.at());
        }
        sql.append(") as v (ordinal, integration_id, step, outcome, http_method, http_path, http_status, duration_ms, detail, actor, created_at)");
    }

    public PageOf<IntegrationStep> steps(UUID integrationId, int page, int size) {
        long total = database.firstLong("select count(*) from integration_step where integration_id = ?", integrationId).orElse(0);
        List<IntegrationStep> items = database.query("select id, integration_id, step, outcome, http_method, http_path, http_status, "
                + "duration_ms, detail, actor, created_at from integration_step where integration_id = ? order by id limit ? offset ?",
                IntegrationStore::readStep, integrationId, size, offset(page, size));
        return new PageOf<>(items, total);
    }

    /** (page - 1) * size without int overflow (page 9999999 of 1000 is past any end: an empty page, not a negative offset). */
    static int offset(int page, int size) {
        return (int) Math.min(Integer.MAX_VALUE, (long) (page - 1) * size);
    }

    /** The values of {@link #CHANGEABLE}, in its order. */
    private static List<Object> changeable(Integration i) {
        return new ArrayList<>(Arrays.asList(i.protocol, i.status.value(), i.appName, i.appSlug, i.appGroup,
                i.policyEngineMode, i.authorizationFlowSlug, i.signingKeyId, i.authentikVersion, i.providerName, i.clientId,
                i.applicationPk, i.providerPk, json(i.propertyMappingPks), i.issuer, i.discoveryEndpoint, json(i.redirectUris),
                i.loginRedirectUri, i.failureStep, i.failureStatus, i.failureDetail, i.cleanupPending, i.adopted, i.signingKeyPk,
                i.samlEntityId, i.samlSsoUrl, i.samlSloUrl, i.samlMetadataUrl, i.samlAcsUrl, i.samlAudience,
                i.samlCertificatePem, i.certificateFingerprint, i.pendingOperation, i.pendingTarget, i.deletedAt, i.updatedAt));
    }

    private static Integration read(ResultSet row) throws SQLException {
        Integration i = new Integration();
        i.id = Database.uuid(row, "id");
        i.tenantId = row.getString("tenant_id");
        i.instanceId = Database.uuid(row, "instance_id");
        i.createdAt = Database.timestamp(row, "created_at");
        i.protocol = row.getString("protocol");
        String status = row.getString("status");
        i.status = IntegrationStatus.of(status).orElseThrow(() -> new IllegalStateException("unknown integration status " + status));
        i.appName = row.getString("app_name");
        i.appSlug = row.getString("app_slug");
        i.appGroup = row.getString("app_group");
        i.policyEngineMode = row.getString("policy_engine_mode");
        i.authorizationFlowSlug = row.getString("authorization_flow_slug");
        i.signingKeyId = Database.uuid(row, "signing_key_id");
        i.authentikVersion = row.getString("authentik_version");
        i.providerName = row.getString("provider_name");
        i.clientId = row.getString("client_id");
        i.applicationPk = Database.uuid(row, "application_pk");
        i.providerPk = Database.integer(row, "provider_pk");
        i.propertyMappingPks = Database.json(row, "property_mapping_pks", STRINGS);
        i.issuer = row.getString("issuer");
        i.discoveryEndpoint = row.getString("discovery_endpoint");
        i.redirectUris = Database.json(row, "redirect_uris", STRINGS);
        i.loginRedirectUri = row.getString("login_redirect_uri");
        i.failureStep = row.getString("failure_step");
        i.failureStatus = Database.integer(row, "failure_status");
        i.failureDetail = row.getString("failure_detail");
        i.cleanupPending = row.getBoolean("cleanup_pending");
        i.adopted = row.getBoolean("adopted");
        i.signingKeyPk = Database.uuid(row, "signing_key_pk");
        i.samlEntityId = row.getString("saml_entity_id");
        i.samlSsoUrl = row.getString("saml_sso_url");
        i.samlSloUrl = row.getString("saml_slo_url");
        i.samlMetadataUrl = row.getString("saml_metadata_url");
        i.samlAcsUrl = row.getString("saml_acs_url");
        i.samlAudience = row.getString("saml_audience");
        i.samlCertificatePem = row.getString("saml_certificate_pem");
        i.certificateFingerprint = row.getString("certificate_fingerprint");
        i.pendingOperation = row.getString("pending_operation");
        i.pendingTarget = row.getString("pending_target");
        i.deletedAt = Database.timestamp(row, "deleted_at");
        i.updatedAt = Database.timestamp(row, "updated_at");
        i.leaseOwner = row.getString("lease_owner");
        i.leaseUntil = Database.timestamp(row, "lease_until");
        i.rowVersion = row.getLong("row_version");
        return i;
    }

    private static IntegrationStep readStep(ResultSet row) throws SQLException {
        IntegrationStep step = new IntegrationStep();
        step.id = row.getLong("id");
        step.integrationId = Database.uuid(row, "integration_id");
        step.step = row.getString("step");
        step.outcome = row.getString("outcome");
        step.httpMethod = row.getString("http_method");
        step.httpPath = row.getString("http_path");
        step.httpStatus = Database.integer(row, "http_status");
        step.durationMs = Database.bigint(row, "duration_ms");
        step.detail = row.getString("detail");
        step.actor = row.getString("actor");
        step.createdAt = Database.timestamp(row, "created_at");
        return step;
    }

    private static String placeholders(List<String> columns) {
        return columns.stream().map(IntegrationStore::placeholder).collect(Collectors.joining(", "));
    }

    private static String placeholder(String column) {
        return JSON_COLUMNS.contains(column) ? "?::jsonb" : "?";
    }

    private static String json(List<String> values) {
        return Database.json(values == null ? List.of() : values);
    }
}
