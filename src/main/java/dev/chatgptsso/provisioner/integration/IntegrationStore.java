package dev.chatgptsso.provisioner.integration;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import dev.chatgptsso.provisioner.Autocommit;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Persistence of integrations, their leases and their step log. Every method is one short
 * transaction of its own, so the workflow never holds a transaction open while it talks to authentik.
 *
 * <p>State and authentik keys are committed durably. Step-log rows and lease renewals and releases
 * are committed without waiting for the WAL flush ({@code synchronous_commit = off}): they are
 * visible at once and in order, and a crash of PostgreSQL itself (not of this service) can lose
 * at most its last few hundred milliseconds of them; a lost release only delays a lease's expiry.
 * That saves a disk flush per authentik call on the request's critical path.
 *
 * <p>Leases are single statements and go straight to JDBC, each its own transaction in autocommit (no
 * Hibernate session, no JTA transaction around one row); step-log rows are written in batches by the
 * {@link StepWriter}. The entity never writes the lease columns after its insert.
 */
@ApplicationScoped
public class IntegrationStore implements PanacheRepositoryBase<Integration, UUID> {
    /** Prefix of a statement whose commit does not wait for the WAL flush; {@code set_config(..., true)} lasts until its commit. */
    private static final String RELAXED = "with relaxed as (select set_config('synchronous_commit', 'off', true)) ";

    @Inject
    Autocommit autocommit;

    /** Thrown when a unique index refuses a new record. */
    public static final class UniqueViolation extends RuntimeException {
        final String constraint;

        UniqueViolation(String constraint) {
            super("unique violation on " + constraint, null, false, false);
            this.constraint = constraint;
        }
    }

    /** Inserts a new record, committed on its own. */
    public Integration begin(Integration draft) {
        try {
            autocommit.insertOnItsOwn(draft);
        } catch (RuntimeException e) {
            String constraint = uniqueConstraint(e);
            if (constraint != null) {
                throw new UniqueViolation(constraint);
            }
            throw e;
        }
        return draft;
    }

    /**
     * The tenant's integration by id: a primary-key load, checked against the tenant afterwards; another tenant's id
     * is simply not found. Outside a transaction (a GET) it reads through a stateless session in autocommit: no
     * persistence context, no JTA transaction, no dirty-checking snapshot of its JSON columns.
     */
    public Optional<Integration> find(String tenantId, UUID id) {
        return autocommit.find(Integration.class, id).filter(integration -> tenantId.equals(integration.tenantId));
    }

    public Optional<Integration> byId(UUID id) {
        if (Autocommit.outsideTransaction()) {
            return autocommit.get(Integration.class, id);
        }
        return findByIdOptional(id);
    }

    /** The live integration (provisioning, awaiting_finalise, active or deleting) using the slug on the instance, if any. */
    public Optional<Integration> liveForSlug(UUID instanceId, String slug) {
        return QuarkusTransaction.joiningExisting().call(() -> find("instanceId = ?1 and appSlug = ?2 and status in ?3",
                instanceId, slug, LIVE).firstResultOptional());
    }

    private static final List<IntegrationStatus> LIVE = List.of(IntegrationStatus.PROVISIONING, IntegrationStatus.AWAITING_FINALISE,
            IntegrationStatus.ACTIVE, IntegrationStatus.DELETING);

    /** Failed integrations on this instance and slug whose attempt may have left objects behind. */
    public List<Integration> failedForSlug(UUID instanceId, String slug) {
        return QuarkusTransaction.joiningExisting().call(() -> list("instanceId = ?1 and appSlug = ?2 and status = ?3 and clientId is not null",
                instanceId, slug, IntegrationStatus.FAILED));
    }

    public record PageOf<T>(List<T> items, long total) {}

    public PageOf<Integration> page(String tenantId, Optional<IntegrationStatus> status, int page, int size) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            var query = status.isPresent()
                    ? find("tenantId = ?1 and status = ?2", Sort.by("createdAt").and("id"), tenantId, status.get())
                    : find("tenantId = ?1", Sort.by("createdAt").and("id"), tenantId);
            long total = query.count();
            List<Integration> items = query.page(Page.of(page - 1, size)).list();
            return new PageOf<>(items, total);
        });
    }

    /**
     * Applies {@code change} to {@code current}, the caller's copy of the record, and writes it without reading the
     * row again: one version-checked UPDATE. When the row has changed since that copy was read or last written
     * (its version moved on), the change is applied to a fresh read instead, as {@link #update(UUID, Consumer)}
     * does; use the copy returned, not {@code current}, after that. Either way {@code current} has the change
     * applied. Inside a transaction it is {@link #update(UUID, Consumer)} in a transaction of its own.
     */
    public Integration update(Integration current, Consumer<Integration> change) {
        if (!Autocommit.outsideTransaction()) {
            Integration written = update(current.id, change);
            change.accept(current);
            return written;
        }
        long versionBefore = current.rowVersion;
        try {
            return autocommit.session(session -> {
                change.accept(current);
                current.updatedAt = Autocommit.now();
                session.update(current);
                return current;
            });
        } catch (org.hibernate.StaleStateException | jakarta.persistence.OptimisticLockException staleCopy) {
            current.rowVersion = versionBefore;
            return update(current.id, change);
        }
    }

    /**
     * Loads the record, applies {@code change} and commits; returns the committed state. The write is checked
     * against the version read (a concurrent change makes it fail instead of being overwritten). Outside a
     * transaction that is a read and a version-checked UPDATE through a stateless session in autocommit.
     */
    public Integration update(UUID id, Consumer<Integration> change) {
        if (Autocommit.outsideTransaction()) {
            return autocommit.session(session -> {
                Integration integration = session.get(Integration.class, id);
                if (integration == null) {
                    throw new IllegalStateException("integration " + id + " does not exist");
                }
                change.accept(integration);
                integration.updatedAt = Autocommit.now();
                session.update(integration);
                return integration;
            });
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            Integration integration = findById(id);
            change.accept(integration);
            integration.updatedAt = Autocommit.now();
            return integration;
        });
    }

    /**
     * Takes the integration for {@code owner} until now + {@code duration}, if nobody else holds an
     * unexpired lease on it. One UPDATE, so two processes can never both succeed. Returns the record's version at
     * that moment (empty when the lease is held by someone else): a copy read earlier with the same version is
     * still current, since every change to the record but the lease statements moves the version on.
     */
    public OptionalLong tryLease(UUID id, String owner, Duration duration) {
        return autocommit.statementReturningLong("update integration set lease_owner = ?, lease_until = now() + make_interval(secs => ?) "
                + "where id = ? and (lease_until is null or lease_until < now() or lease_owner = ?) returning row_version",
                owner, (double) duration.toMillis() / 1000, id, owner);
    }

    /** Extends a lease this owner holds; false when it was lost (expired and taken by someone else). */
    public boolean renewLease(UUID id, String owner, Duration duration) {
        return statement(RELAXED + "update integration set lease_until = now() + make_interval(secs => ?) from relaxed "
                + "where id = ? and lease_owner = ?", (double) duration.toMillis() / 1000, id, owner) == 1;
    }

    public void releaseLease(UUID id, String owner) {
        statement(RELAXED + "update integration set lease_owner = null, lease_until = null from relaxed where id = ? and lease_owner = ?",
                id, owner);
    }

    /**
     * Records left mid-operation whose lease has run out, plus failed attempts whose clean-up is
     * still pending and has had {@code settle} for late writes to land: what the reconciler finishes. Oldest first.
     */
    public List<UUID> unfinished(int limit, Duration settle) {
        return QuarkusTransaction.requiringNew().call(() -> getEntityManager().createNativeQuery(
                "select id from integration where " + UNFINISHED + " order by updated_at limit ?2", UUID.class)
                .setParameter(1, (double) settle.toMillis() / 1000).setParameter(2, limit).getResultList());
    }

    /** How many records wait for the reconciler (its backlog). */
    public long unfinishedCount(Duration settle) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) getEntityManager().createNativeQuery(
                "select count(*) from integration where " + UNFINISHED)
                .setParameter(1, (double) settle.toMillis() / 1000).getSingleResult()).longValue());
    }

    private static final String UNFINISHED = "(lease_until is null or lease_until < now()) and (status in ('provisioning', 'deleting') "
            + "or pending_operation is not null "
            + "or (status = 'failed' and cleanup_pending and updated_at < now() - make_interval(secs => ?1)))";

    public List<Object[]> countByStatus() {
        return QuarkusTransaction.requiringNew().call(() -> getEntityManager().createNativeQuery(
                "select status, count(*) from integration group by status", Object[].class).getResultList());
    }

    /** Step-log rows in one multi-row INSERT, in the order given (their ids follow it); see {@link StepWriter}. */
    void insertSteps(List<StepWriter.Row> rows) {
        StringBuilder sql = new StringBuilder(RELAXED).append("insert into integration_step (integration_id, step, outcome, http_method, ")
                .append("http_path, http_status, duration_ms, detail, actor, created_at) ")
                .append("select v.integration_id, v.step, v.outcome, v.http_method, v.http_path, v.http_status, v.duration_ms, v.detail, v.actor, v.created_at ")
                .append("from (values ");
        Object[] parameters = new Object[rows.size() * 11];
        int p = 0;
        for (int i = 0; i < rows.size(); i++) {
            StepWriter.Row row = rows.get(i);
            sql.append(i == 0 ? "" : ", ").append("(?::integer, ?::uuid, ?::text, ?::text, ?::text, ?::text, ?::integer, ?::bigint, ?::text, ?::text, ?::timestamptz)");
            parameters[p++] = i;
            parameters[p++] = row.integrationId();
            parameters[p++] = row.step();
            parameters[p++] = row.outcome();
            parameters[p++] = row.method();
            parameters[p++] = row.path();
            parameters[p++] = row.status();
            parameters[p++] = row.durationMs();
            parameters[p++] = row.detail();
            parameters[p++] = row.actor();
            parameters[p++] = row.at();
        }
        // the ids follow the order of the select, so the rows keep the order they were queued in
        sql.append(") as v (ordinal, integration_id, step, outcome, http_method, http_path, http_status, duration_ms, detail, actor, created_at), ")
                .append("relaxed order by v.ordinal");
        statement(sql.toString(), parameters);
    }

    private int statement(String sql, Object... parameters) {
        return autocommit.statement(sql, parameters);
    }

    public PageOf<IntegrationStep> steps(UUID integrationId, int page, int size) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            long total = getEntityManager().createQuery("select count(s) from IntegrationStep s where s.integrationId = ?1", Long.class)
                    .setParameter(1, integrationId).getSingleResult();
            List<IntegrationStep> items = getEntityManager()
                    .createQuery("from IntegrationStep where integrationId = ?1 order by id", IntegrationStep.class)
                    .setParameter(1, integrationId).setFirstResult(offset(page, size)).setMaxResults(size).getResultList();
            return new PageOf<>(items, total);
        });
    }

    /** (page - 1) * size without int overflow (page 9999999 of 1000 is past any end: an empty page, not a negative offset). */
    static int offset(int page, int size) {
        return (int) Math.min(Integer.MAX_VALUE, (long) (page - 1) * size);
    }

    static String uniqueConstraint(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof org.hibernate.exception.ConstraintViolationException violation) {
                String name = violation.getConstraintName();
                if (name != null) {
                    return name;
                }
            }
            if (t instanceof java.sql.SQLException sql && "23505".equals(sql.getSQLState())) {
                return String.valueOf(sql.getMessage());
            }
        }
        return null;
    }
}
