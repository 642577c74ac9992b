package dev.chatgptsso.provisioner.integration;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Persistence of integrations and their step log. Every method is one short transaction of its
 * own, so the workflow never holds a transaction open while it talks to authentik.
 */
@ApplicationScoped
public class IntegrationStore implements PanacheRepositoryBase<Integration, UUID> {

    /** Thrown when a unique index refuses a new record. */
    public static final class UniqueViolation extends RuntimeException {
        final String constraint;

        UniqueViolation(String constraint) {
            super("unique violation on " + constraint, null, false, false);
            this.constraint = constraint;
        }

        public boolean isLiveSlug() {
            return constraint.contains("integration_live_slug_unique");
        }

        public boolean isIdempotencyKey() {
            return constraint.contains("integration_idempotency_key_unique");
        }
    }

    public Integration begin(Integration draft) {
        try {
            QuarkusTransaction.requiringNew().run(() -> persistAndFlush(draft));
        } catch (RuntimeException e) {
            String constraint = uniqueConstraint(e);
            if (constraint != null) {
                throw new UniqueViolation(constraint);
            }
            throw e;
        }
        return draft;
    }

    public Optional<Integration> find(String tenantId, UUID id) {
        return QuarkusTransaction.joiningExisting().call(() -> find("tenantId = ?1 and id = ?2", tenantId, id).firstResultOptional());
    }

    public Optional<Integration> byIdempotencyKey(String tenantId, String key) {
        return QuarkusTransaction.joiningExisting().call(
                () -> find("tenantId = ?1 and idempotencyKey = ?2", tenantId, key).firstResultOptional());
    }

    public Optional<Integration> liveForSlug(UUID instanceId, String slug) {
        return QuarkusTransaction.joiningExisting().call(() -> find("instanceId = ?1 and appSlug = ?2 and status in ?3",
                instanceId, slug, List.of(IntegrationStatus.PROVISIONING, IntegrationStatus.AWAITING_FINALISE, IntegrationStatus.ACTIVE))
                .firstResultOptional());
    }

    /** Failed integrations on this instance and slug whose attempt may have left objects behind. */
    public List<Integration> failedForSlug(UUID instanceId, String slug) {
        return QuarkusTransaction.joiningExisting().call(() -> list("instanceId = ?1 and appSlug = ?2 and status = ?3 and clientId is not null",
                instanceId, slug, IntegrationStatus.FAILED));
    }

    public record PageOf(List<Integration> items, long total) {}

    public PageOf page(String tenantId, Optional<IntegrationStatus> status, int page, int size) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            var query = status.isPresent()
                    ? find("tenantId = ?1 and status = ?2", Sort.by("createdAt").and("id"), tenantId, status.get())
                    : find("tenantId = ?1", Sort.by("createdAt").and("id"), tenantId);
            long total = query.count();
            List<Integration> items = query.page(Page.of(page - 1, size)).list();
            return new PageOf(items, total);
        });
    }

    /** Loads the record, applies {@code change} and commits; returns the committed state. */
    public Integration update(UUID id, Consumer<Integration> change) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Integration integration = findById(id);
            change.accept(integration);
            integration.updatedAt = now();
            return integration;
        });
    }

    public void recordStep(UUID integrationId, String step, String outcome, String method, String path, Integer status,
            Long durationMs, String detail) {
        IntegrationStep entry = new IntegrationStep();
        entry.integrationId = integrationId;
        entry.step = step;
        entry.outcome = outcome;
        entry.httpMethod = method;
        entry.httpPath = path;
        entry.httpStatus = status;
        entry.durationMs = durationMs;
        entry.detail = detail;
        entry.createdAt = now();
        QuarkusTransaction.requiringNew().run(() -> getEntityManager().persist(entry));
    }

    public List<IntegrationStep> steps(UUID integrationId) {
        return QuarkusTransaction.joiningExisting().call(() -> getEntityManager()
                .createQuery("from IntegrationStep where integrationId = ?1 order by id", IntegrationStep.class)
                .setParameter(1, integrationId).getResultList());
    }

    static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    private static String uniqueConstraint(Throwable failure) {
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
