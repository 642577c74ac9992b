package dev.chatgptsso.provisioner.integration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.chatgptsso.provisioner.ProvisionerConfig;
import dev.chatgptsso.provisioner.web.ProblemException;
import dev.chatgptsso.provisioner.web.ProblemType;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code Idempotency-Key} for create, finalise, rotate-secret and delete, per tenant. The first
 * request with a key reserves it (a primary key in PostgreSQL, so two processes cannot both win);
 * its successful answer is stored with every secret removed; a repeat with the same request gets
 * that answer back, a repeat with a different request a 422. Failed answers are not kept, so a
 * retry with the same key runs again (after a 502 it may well succeed).
 */
@ApplicationScoped
class Idempotency {
    private static final ObjectMapper CANONICAL_JSON = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .findAndAddModules()
            .build();
    private static final Duration MINIMUM_RETENTION = Duration.ofHours(24);

    private final EntityManager entityManager;
    private final ObjectMapper json;
    private final Duration retention;

    Idempotency(EntityManager entityManager, ObjectMapper json, ProvisionerConfig config) {
        this.entityManager = entityManager;
        this.json = json;
        this.retention = config.idempotency().retention().compareTo(MINIMUM_RETENTION) < 0 ? MINIMUM_RETENTION
                : config.idempotency().retention();
    }

    /** What a key says about a request. */
    sealed interface Claim {
        /** The key is new: go ahead; it is reserved for this request. */
        record Fresh() implements Claim {}

        /** The first request with this key finished: answer this. {@code body} null means "render the integration". */
        record Replay(int status, JsonNode body, UUID integrationId) implements Claim {}

        /** The first request with this key is still running (or its process died while it ran). */
        record Busy(UUID integrationId, boolean abandoned) implements Claim {}
    }

    /** SHA-256 of the operation, its target and the canonical JSON of the body. */
    static String fingerprint(String operation, UUID target, Object body) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            if (!operation.equals("create")) {
                // creates keep the body-only form of the first release, so keys given before an upgrade still replay
                digest.update((operation + ":" + target + ":").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            digest.update(CANONICAL_JSON.writeValueAsBytes(body));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException("cannot fingerprint request", e);
        }
    }

    Claim claim(String tenantId, String key, String operation, String fingerprint, Duration abandonedAfter) {
        int inserted = QuarkusTransaction.requiringNew().call(() -> entityManager.createNativeQuery(
                "insert into idempotency_record (tenant_id, idem_key, operation, request_fingerprint, state, created_at, expires_at) "
                        + "values (?1, ?2, ?3, ?4, 'in_progress', now(), now() + make_interval(secs => ?5)) on conflict do nothing")
                .setParameter(1, tenantId).setParameter(2, key).setParameter(3, operation).setParameter(4, fingerprint)
                .setParameter(5, (double) retention.toSeconds()).executeUpdate());
        if (inserted == 1) {
            return new Claim.Fresh();
        }
        List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> entityManager.createNativeQuery(
                "select operation, request_fingerprint, state, response_status, cast(response_body as text), integration_id, "
                        + "created_at < now() - make_interval(secs => ?3) from idempotency_record where tenant_id = ?1 and idem_key = ?2",
                Object[].class)
                .setParameter(1, tenantId).setParameter(2, key).setParameter(3, (double) abandonedAfter.toSeconds()).getResultList());
        if (rows.isEmpty()) {
            // expired and purged between the two statements: claim again
            return claim(tenantId, key, operation, fingerprint, abandonedAfter);
        }
        Object[] row = rows.get(0);
        if (!operation.equals(row[0]) || !fingerprint.equals(row[1])) {
            throw new ProblemException(ProblemType.IDEMPOTENCY_KEY_REUSED,
                    "Idempotency-Key was first used with a different request" + (operation.equals(row[0]) ? " body" : " (" + row[0] + ")"),
                    List.of(), row[5] == null ? Map.of() : Map.of("integrationId", row[5]));
        }
        UUID integrationId = (UUID) row[5];
        if ("completed".equals(row[2])) {
            return new Claim.Replay(row[3] == null ? 201 : ((Number) row[3]).intValue(), parse((String) row[4]), integrationId);
        }
        return new Claim.Busy(integrationId, Boolean.TRUE.equals(row[6]));
    }

    void attach(String tenantId, String key, UUID integrationId) {
        QuarkusTransaction.requiringNew().run(() -> entityManager.createNativeQuery(
                "update idempotency_record set integration_id = ?3 where tenant_id = ?1 and idem_key = ?2")
                .setParameter(1, tenantId).setParameter(2, key).setParameter(3, integrationId).executeUpdate());
    }

    /** Keeps the answer (already stripped of secrets) for repeats of this key. */
    void complete(String tenantId, String key, int status, JsonNode body) {
        QuarkusTransaction.requiringNew().run(() -> entityManager.createNativeQuery(
                "update idempotency_record set state = 'completed', response_status = ?3, response_body = cast(?4 as jsonb) "
                        + "where tenant_id = ?1 and idem_key = ?2")
                .setParameter(1, tenantId).setParameter(2, key).setParameter(3, status).setParameter(4, body == null ? null : body.toString())
                .executeUpdate());
    }

    /** Forgets the key, so the next request with it runs anew (after a 5xx, or when taking over an abandoned one). */
    void release(String tenantId, String key) {
        QuarkusTransaction.requiringNew().run(() -> entityManager.createNativeQuery(
                "delete from idempotency_record where tenant_id = ?1 and idem_key = ?2")
                .setParameter(1, tenantId).setParameter(2, key).executeUpdate());
    }

    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purgeExpired() {
        QuarkusTransaction.requiringNew().run(() -> entityManager.createNativeQuery(
                "delete from idempotency_record where expires_at < now() and state = 'completed'").executeUpdate());
    }

    private JsonNode parse(String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored answer is not JSON", e);
        }
    }

    /** The answer as the REST layer would write it (same mapper, same date format). */
    JsonNode toJson(Object value) {
        return json.valueToTree(value);
    }
}
