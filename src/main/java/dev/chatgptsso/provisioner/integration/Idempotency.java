package dev.chatgptsso.provisioner.integration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.chatgptsso.provisioner.Database;
import dev.chatgptsso.provisioner.ProvisionerConfig;
import dev.chatgptsso.provisioner.web.ProblemException;
import dev.chatgptsso.provisioner.web.ProblemType;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
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

    private final Database database;
    private final ObjectMapper json;
    private final Duration retention;

    Idempotency(Database database, ObjectMapper json, ProvisionerConfig config) {
        this.database = database;
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

    /** A key's row: what it was first used for, and how far that request got. */
    private record Stored(String operation, String fingerprint, String state, Integer status, String body, UUID integrationId,
            boolean abandoned) {}

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
        int inserted = database.update(
                "insert into idempotency_record (tenant_id, idem_key, operation, request_fingerprint, state, created_at, expires_at) "
                        + "values (?, ?, ?, ?, 'in_progress', now(), now() + make_interval(secs => ?)) on conflict do nothing",
                tenantId, key, operation, fingerprint, (double) retention.toSeconds());
        if (inserted == 1) {
            return new Claim.Fresh();
        }
        List<Stored> rows = database.query(
                "select operation, request_fingerprint, state, response_status, cast(response_body as text), integration_id, "
                        + "created_at < now() - make_interval(secs => ?) from idempotency_record where tenant_id = ? and idem_key = ?",
                row -> new Stored(row.getString(1), row.getString(2), row.getString(3), Database.integer(row, "response_status"),
                        row.getString(5), Database.uuid(row, "integration_id"), row.getBoolean(7)),
                (double) abandonedAfter.toSeconds(), tenantId, key);
        if (rows.isEmpty()) {
            // expired and purged between the two statements: claim again
            return claim(tenantId, key, operation, fingerprint, abandonedAfter);
        }
        Stored stored = rows.get(0);
        if (!operation.equals(stored.operation()) || !fingerprint.equals(stored.fingerprint())) {
            throw new ProblemException(ProblemType.IDEMPOTENCY_KEY_REUSED, "Idempotency-Key was first used with a different request"
                    + (operation.equals(stored.operation()) ? " body" : " (" + stored.operation() + ")"),
                    List.of(), stored.integrationId() == null ? Map.of() : Map.of("integrationId", stored.integrationId()));
        }
        if ("completed".equals(stored.state())) {
            return new Claim.Replay(stored.status() == null ? 201 : stored.status(), parse(stored.body()), stored.integrationId());
        }
        return new Claim.Busy(stored.integrationId(), stored.abandoned());
    }

    void attach(String tenantId, String key, UUID integrationId) {
        database.update("update idempotency_record set integration_id = ? where tenant_id = ? and idem_key = ?", integrationId, tenantId, key);
    }

    /** Keeps the answer (already stripped of secrets) for repeats of this key. */
    void complete(String tenantId, String key, int status, JsonNode body) {
        database.update("update idempotency_record set state = 'completed', response_status = ?, response_body = cast(? as jsonb) "
                + "where tenant_id = ? and idem_key = ?", status, body == null ? null : body.toString(), tenantId, key);
    }

    /** Forgets the key, so the next request with it runs anew (after a 5xx, or when taking over an abandoned one). */
    void release(String tenantId, String key) {
        database.update("delete from idempotency_record where tenant_id = ? and idem_key = ?", tenantId, key);
    }

    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purgeExpired() {
        database.update("delete from idempotency_record where expires_at < now() and state = 'completed'");
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
