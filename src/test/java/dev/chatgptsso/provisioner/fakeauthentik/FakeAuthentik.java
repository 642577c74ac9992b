package dev.chatgptsso.provisioner.fakeauthentik;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * A stateful, in-memory fake of authentik's REST API ({@code /api/v3}) on 127.0.0.1, for tests and local runs.
 *
 * <p>It models the releases from 2024.12 on (see REFERENCE.md / CHANGES.md next to the schemas), enforces
 * authentik's own validations with authentik's error shapes, and checks every {@code /api/v3} request against
 * the OpenAPI schema authentik published for the running version. Requests that break the schema are recorded
 * in {@link #schemaViolations()}; they are answered with authentik's own error where authentik itself would
 * reject the request (404, 405, 403, 415, field errors, JSON parse error), and otherwise with
 * {@code 400 {"detail": "schema violation: ..."}} and no state change.
 *
 * <pre>{@code
 * try (FakeAuthentik authentik = FakeAuthentik.start("2026.5.6")) {
 *     // point the client at authentik.baseUrl() + "/api/v3" with "Bearer " + FakeAuthentik.ADMIN_TOKEN
 *     assertThat(authentik.schemaViolations()).isEmpty();
 * }
 * }</pre>
 */
public final class FakeAuthentik implements AutoCloseable {

    /** API token of {@code akadmin} (pk 1), a superuser. */
    public static final String ADMIN_TOKEN = "fake-admin-token-0123456789";
    /**
     * API token of {@code limited} (pk 2), a user without any permission: lists answer 403, writes 403,
     * detail reads 404; {@code admin/version/} and {@code core/users/me/} work.
     */
    public static final String LIMITED_TOKEN = "fake-limited-token-0123456789";

    /**
     * @param version       authentik release to imitate, e.g. {@code 2026.5.6} (2024.12 or later)
     * @param port          TCP port on 127.0.0.1; 0 picks a free one
     * @param latencyMillis round-trip time of every call: its answer leaves this long after the request arrived (timer
     *                      based, the server is never blocked); the fake's own work happens within it. Injected
     *                      delays come on top, before the request is handled.
     */
    public record Options(String version, int port, long latencyMillis) {

        public Options {
            Objects.requireNonNull(version, "version");
            if (port < 0 || port > 65535) throw new IllegalArgumentException("port " + port);
            if (latencyMillis < 0) throw new IllegalArgumentException("latencyMillis " + latencyMillis);
        }

        /** Random free port, no latency. */
        public static Options defaults(String version) {
            return new Options(version, 0, 0);
        }

        public Options withPort(int port) {
            return new Options(version, port, latencyMillis);
        }

        public Options withLatencyMillis(long latencyMillis) {
            return new Options(version, port, latencyMillis);
        }
    }

    /**
     * One received request. {@code query} and {@code body} are "" when absent. {@code status} is the answer's
     * status, 0 when the connection was dropped without an answer (fault {@link Fault#drop()}), -1 while the
     * request is still being handled.
     */
    public record RecordedRequest(String method, String path, String query, String body, int status) {
    }

    /**
     * One received request with its timing: {@code index} in arrival order, wall-clock epoch microseconds when it
     * arrived and when the answer (or the drop) went out ({@code answeredMicros} 0 while in flight). The latency
     * configured in {@link Options} is inside that interval.
     */
    public record TimedRequest(int index, String method, String path, int status, long receivedMicros, long answeredMicros) {

        /**
         * For calls sorted by arrival: each call's place in the longest chain of calls ending with it, where each
         * call arrived after the one before it was answered (1: nothing before it was answered yet). The maximum is
         * the number of sequential round trips.
         */
        public static int[] chainDepths(List<TimedRequest> byArrival) {
            int[] depth = new int[byArrival.size()];
            for (int i = 0; i < depth.length; i++) {
                depth[i] = 1;
                for (int j = 0; j < i; j++) {
                    if (byArrival.get(j).answeredMicros() <= byArrival.get(i).receivedMicros()) {
                        depth[i] = Math.max(depth[i], depth[j] + 1);
                    }
                }
            }
            return depth;
        }
    }

    /** A fault to inject instead of (or around) the normal handling of one request. */
    public sealed interface Fault {

        /** Answer with this status and {@code {"detail": "<reason phrase>"}}, without touching state. */
        static Fault status(int code) {
            return new Status(code, null, null);
        }

        /** Answer with this status and JSON body, without touching state. */
        static Fault status(int code, String jsonBody) {
            return new Status(code, Objects.requireNonNull(jsonBody, "jsonBody"), null);
        }

        /**
         * authentik's throttling answer (REFERENCE 15): 429 with {@code Retry-After: seconds} and its
         * detail text, without touching state.
         */
        static Fault throttled(int retryAfterSeconds) {
            return new Status(429, Json.write(Json.object().put("detail",
                    "Request was throttled. Expected available in " + retryAfterSeconds + " seconds.")), retryAfterSeconds);
        }

        /** Wait, then handle the request normally (state changes happen). */
        static Fault delay(long millis) {
            if (millis < 0) throw new IllegalArgumentException("millis " + millis);
            return new Delay(millis);
        }

        /** Close the TCP connection without any answer and without changing state. */
        static Fault drop() {
            return new Drop();
        }

        /**
         * Handle the request normally (the write is committed), then apply {@code fault} to the answer: replace it
         * with a status, delay it, or drop the connection instead of sending it.
         */
        static Fault afterWrite(Fault fault) {
            if (fault instanceof AfterWrite) throw new IllegalArgumentException("afterWrite cannot be nested");
            return new AfterWrite(Objects.requireNonNull(fault, "fault"));
        }

        record Status(int code, String body, Integer retryAfterSeconds) implements Fault {
        }

        record Delay(long millis) implements Fault {
        }

        record Drop() implements Fault {
        }

        record AfterWrite(Fault then) implements Fault {
        }
    }

    /** Upper bound for the backlog of answer checks (the first use of a response schema takes up to ~1 s). */
    private static final long RESPONSE_CHECK_WAIT_MILLIS = 60_000;

    private final AuthentikVersion initialVersion;
    private final FakeState state;
    private final RequestLog requestLog = new RequestLog();
    private final FaultRegistry faults = new FaultRegistry();
    private final List<String> schemaViolations = Collections.synchronizedList(new ArrayList<>());
    private final List<String> responseViolations = Collections.synchronizedList(new ArrayList<>());
    private final HttpFront front;

    private FakeAuthentik(Options options, AuthentikVersion version) {
        this.initialVersion = version;
        this.state = new FakeState(version);
        this.front = new HttpFront(state, new Dispatcher(state), requestLog, faults, schemaViolations,
                responseViolations, options.latencyMillis());
    }

    /** Starts on a random free port with no latency. */
    public static FakeAuthentik start(String version) {
        return start(Options.defaults(version));
    }

    public static FakeAuthentik start(Options options) {
        AuthentikVersion version = AuthentikVersion.supported(options.version());
        SchemaValidator.forVersion(version); // load now (once per JVM) rather than during the first request
        FakeAuthentik fake = new FakeAuthentik(options, version);
        fake.front.start(options.port());
        return fake;
    }

    /** e.g. {@code http://127.0.0.1:40123}, without {@code /api/v3}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + front.port();
    }

    public String version() {
        synchronized (state) {
            return state.version.text();
        }
    }

    /**
     * Back to the seeded state of the version given at start (also undoing {@link #setVersion}); clears armed
     * faults, the request log and recorded schema violations (of requests and of answers). The port stays.
     */
    public void reset() {
        front.awaitResponseChecks(RESPONSE_CHECK_WAIT_MILLIS);
        synchronized (state) {
            state.reset(initialVersion);
        }
        faults.clear();
        requestLog.clear();
        schemaViolations.clear();
        responseViolations.clear();
    }

    @Override
    public void close() {
        front.close();
    }

    /** Simulates an upgrade (or downgrade) in place, running authentik's data migrations across 2026.5. */
    public void setVersion(String version) {
        AuthentikVersion parsed = AuthentikVersion.supported(version);
        SchemaValidator.forVersion(parsed);
        synchronized (state) {
            state.changeVersion(parsed);
            state.reportedVersionOverride = null;
        }
    }

    /**
     * Makes {@code admin/version/} report {@code version} while the API keeps the modelled one, e.g. to present a
     * release older than the fake models. Undone by {@link #reset} and {@link #setVersion}.
     */
    public void reportVersion(String version) {
        synchronized (state) {
            state.reportedVersionOverride = version;
        }
    }

    /**
     * Teaches the fake what a custom property-mapping expression returns (authentik runs it as Python, the fake
     * cannot). {@code behaviour} gets the user ({@code username}, {@code name}, {@code email}, {@code uid},
     * {@code attributes}; all empty for the anonymous user) and returns the mapping's dict; for SAML mappings
     * {@code {"value": ...}}. Unregistered custom expressions fail to evaluate. Kept across {@link #reset}.
     */
    public void registerExpression(String expression, Function<Map<String, Object>, Map<String, Object>> behaviour) {
        state.expressions.register(expression, behaviour);
    }

    // ------------------------------------------------------------------ state inspection (deep copies)

    private <T> T read(Function<Views, T> reader) {
        synchronized (state) {
            return reader.apply(new Views(state, baseUrl()));
        }
    }

    public List<ObjectNode> applications() {
        return read(views -> state.applications.values().stream().map(views::application).toList());
    }

    public Optional<ObjectNode> application(String slug) {
        return read(views -> state.applicationBySlug(slug).map(views::application));
    }

    public List<ObjectNode> oauth2Providers() {
        return read(views -> state.oauth2Providers.values().stream().map(views::oauth2Provider).toList());
    }

    public Optional<ObjectNode> oauth2Provider(int pk) {
        return read(views -> Optional.ofNullable(state.oauth2Providers.get(pk)).map(views::oauth2Provider));
    }

    public List<ObjectNode> samlProviders() {
        return read(views -> state.samlProviders.values().stream().map(views::samlProvider).toList());
    }

    /** SAML property mappings including the seeded managed ones. */
    public List<ObjectNode> samlMappings() {
        return read(views -> state.samlMappings.values().stream().map(views::samlMapping).toList());
    }

    /** Scope mappings including the seeded managed ones. */
    public List<ObjectNode> scopeMappings() {
        return read(views -> state.scopeMappings.values().stream().map(views::scopeMapping).toList());
    }

    public Optional<ObjectNode> scopeMapping(String pk) {
        return read(views -> Optional.ofNullable(state.scopeMappings.get(pk)).map(views::scopeMapping));
    }

    public List<ObjectNode> flows() {
        return read(views -> state.flows.values().stream().map(views::flow).toList());
    }

    public List<ObjectNode> certificateKeyPairs() {
        return read(views -> state.keyPairs.values().stream().map(views::keyPair).toList());
    }

    /** Applications + providers + non-managed property mappings, i.e. everything created through the API. */
    public int objectCount() {
        synchronized (state) {
            return state.createdObjectCount();
        }
    }

    // ------------------------------------------------------------------ direct manipulation (bypasses the API)

    /**
     * Stores an application as given (no validation), replacing one with the same slug. Known writable fields
     * are taken from {@code app}; {@code pk} is generated when absent. Returns the application as GET shows it.
     */
    public ObjectNode putApplication(ObjectNode app) {
        synchronized (state) {
            String slug = Json.text(app, "slug");
            if (slug == null) throw new IllegalArgumentException("application needs a slug");
            ObjectNode stored = Json.object();
            String pk = Optional.ofNullable(Json.text(app, "pk"))
                    .or(() -> state.applicationBySlug(slug).map(existing -> existing.get("pk").asText()))
                    .orElseGet(() -> UUID.randomUUID().toString());
            stored.put("pk", pk);
            Defaults.application(state.version).forEach((field, defaultValue) -> {
                JsonNode value = app.get(field);
                stored.set(field, value != null ? value.deepCopy() : defaultValue.deepCopy());
            });
            if (!stored.hasNonNull("name")) stored.put("name", slug);
            state.applicationBySlug(slug).ifPresent(existing -> state.applications.remove(existing.get("pk").asText()));
            state.applications.put(pk, stored);
            return new Views(state, baseUrl()).application(stored);
        }
    }

    /** Adds a certificate-key pair with a private key ({@code rsa} or {@code ed25519}) valid for {@code validity} (negative: expired); returns its pk. */
    public String addCertificateKeyPair(String name, String keyType, java.time.Duration validity) {
        CertificateGenerator.Generated cert = CertificateGenerator.generate(name, keyType, validity);
        KeyPairEntry entry = new KeyPairEntry(UUID.randomUUID().toString(), name, keyType, true, null, cert.pem(),
                cert.fingerprintSha256(), cert.fingerprintSha1(), cert.notAfter(), cert.subject());
        synchronized (state) {
            state.keyPairs.put(entry.pk(), entry);
        }
        return entry.pk();
    }

    /** Overwrites fields of a stored OAuth2 or SAML provider as given (no validation), e.g. to simulate manual drift. */
    public void patchProvider(int pk, Map<String, Object> fields) {
        synchronized (state) {
            state.provider(pk).orElseThrow(() -> new IllegalArgumentException("no provider " + pk));
            ObjectNode changed = Json.object();
            fields.forEach((field, value) -> changed.set(field, Json.MAPPER.valueToTree(value)));
            state.replace(state.oauth2Providers.containsKey(pk) ? state.oauth2Providers : state.samlProviders, pk, changed);
        }
    }

    /** Changes an application's slug in place (same pk), like an admin editing it. */
    public void renameApplication(String slug, String newSlug) {
        synchronized (state) {
            ObjectNode app = state.applicationBySlug(slug).orElseThrow(() -> new IllegalArgumentException("no application " + slug));
            state.replace(state.applications, app.get("pk").asText(), Json.object().put("slug", newSlug));
        }
    }

    /** Makes every discovery document carry {@code value} under {@code key} (e.g. an http endpoint behind a bad proxy) until reset. */
    public void overrideDiscovery(String key, Object value) {
        synchronized (state) {
            state.discoveryOverrides.put(key, Json.MAPPER.valueToTree(value));
        }
    }

    /** Adds a user (without API token) until reset; returns its pk. */
    public int addUser(String username, String name, String email, Map<String, String> attributes) {
        synchronized (state) {
            int pk = state.users.stream().mapToInt(FakeUser::pk).max().orElse(0) + 1;
            state.users.add(new FakeUser(pk, username, name, email, false, null, Map.copyOf(attributes)));
            return pk;
        }
    }

    /** Deletes a flow with authentik's cascade: providers using it as authorization flow are deleted too. */
    public void removeFlow(String slug) {
        synchronized (state) {
            ObjectNode flow = state.flowBySlug(slug).orElseThrow(() -> new IllegalArgumentException("no flow " + slug));
            state.removeFlow(flow.get("pk").asText());
        }
    }

    /** Deletes a certificate-key pair; providers referencing it keep existing with a null key. */
    public void removeCertificateKeyPair(String name) {
        synchronized (state) {
            KeyPairEntry keyPair = state.keyPairByName(name)
                    .orElseThrow(() -> new IllegalArgumentException("no certificate-key pair " + name));
            state.removeKeyPair(keyPair.pk());
        }
    }

    /** Overwrites fields of a stored property mapping (scope or SAML), e.g. to simulate manual drift. */
    public void patchScopeMapping(String pk, Map<String, Object> fields) {
        synchronized (state) {
            state.propertyMapping(pk).orElseThrow(() -> new IllegalArgumentException("no property mapping " + pk));
            ObjectNode changed = Json.object();
            fields.forEach((field, value) -> {
                if (!field.equals("pk")) changed.set(field, Json.MAPPER.valueToTree(value));
            });
            state.replace(state.scopeMappings.containsKey(pk) ? state.scopeMappings : state.samlMappings, pk, changed);
        }
    }

    /** Deletes a property mapping like the API does: it is removed from every provider. */
    public void deleteScopeMapping(String pk) {
        synchronized (state) {
            if (!state.propertyMappingExists(pk)) throw new IllegalArgumentException("no property mapping " + pk);
            state.deletePropertyMapping(pk);
        }
    }

    /**
     * What authentik's system blueprints do when they are applied again after a managed scope or SAML mapping was
     * deleted: the mapping is created anew from its blueprint, under a new pk. Providers do not get it back
     * (deleting it had removed it from them). Returns the new pk.
     */
    public String recreateManagedMapping(String managed) {
        synchronized (state) {
            boolean scope = SeedData.scopeMappings(state.version).stream().anyMatch(m -> managed.equals(Json.text(m, "managed")));
            ObjectNode blueprint = (scope ? SeedData.scopeMappings(state.version) : SeedData.samlMappings()).stream()
                    .filter(m -> managed.equals(Json.text(m, "managed"))).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no managed mapping " + managed));
            java.util.Map<String, ObjectNode> mappings = scope ? state.scopeMappings : state.samlMappings;
            if (mappings.values().stream().anyMatch(m -> managed.equals(Json.text(m, "managed")))) {
                throw new IllegalStateException("managed mapping " + managed + " still exists");
            }
            ObjectNode created = blueprint.deepCopy();
            String pk = UUID.randomUUID().toString();
            created.put("pk", pk);
            mappings.put(pk, created);
            return pk;
        }
    }

    /** Deletes an application like the API does: its provider stays, unassigned. */
    public void deleteApplication(String slug) {
        synchronized (state) {
            ObjectNode app = state.applicationBySlug(slug)
                    .orElseThrow(() -> new IllegalArgumentException("no application " + slug));
            state.deleteApplication(app.get("pk").asText());
        }
    }

    /** Deletes an OAuth2 provider like the API does: its application stays with provider null. */
    public void deleteOAuth2Provider(int pk) {
        synchronized (state) {
            if (!state.oauth2Providers.containsKey(pk)) throw new IllegalArgumentException("no OAuth2 provider " + pk);
            state.deleteProvider(pk);
        }
    }

    /**
     * Every OAuth2 client secret any fake in this JVM received in a provider write or generated, since the JVM
     * started (resets keep them): values that must never appear in a response, a problem or a log.
     */
    public static List<String> clientSecretsSeen() {
        return SecretRegistry.all();
    }

    // ------------------------------------------------------------------ request log

    public List<RecordedRequest> requests() {
        return requestLog.snapshot();
    }

    /** Timed requests from arrival index {@code from} on (the benchmark reads them to see each create's calls). */
    public List<TimedRequest> timedRequests(int from) {
        return requestLog.timed(from);
    }

    /** Number of requests received so far (the index the next one gets). */
    public int requestCount() {
        return requestLog.size();
    }

    public void clearRequests() {
        requestLog.clear();
    }

    /**
     * Number of recorded requests with this method ({@code null} or "*" for any) whose path fully matches
     * {@code pathRegex} (paths start with {@code /api/v3/}).
     */
    public long count(String method, String pathRegex) {
        return requestLog.count(method, pathRegex);
    }

    // ------------------------------------------------------------------ faults and schema checks

    /**
     * Arms {@code fault} for the {@code nth} (1-based, counted from now) request whose method matches
     * ({@code null} or "*" for any) and whose path (e.g. {@code /api/v3/providers/oauth2/}) fully matches
     * {@code pathRegex}. Each armed fault fires once.
     */
    public void injectFault(String method, String pathRegex, int nth, Fault fault) {
        faults.add(method, pathRegex, nth, Objects.requireNonNull(fault, "fault"));
    }

    /** "METHOD path: validator key: message" for every request that broke the version's OpenAPI schema. */
    public List<String> schemaViolations() {
        synchronized (schemaViolations) {
            return List.copyOf(schemaViolations);
        }
    }

    /**
     * "METHOD path -> status: validator key: message" for every successful answer of the fake itself (2xx, not an
     * injected fault) that does not match the response the version's OpenAPI schema documents for that
     * operation: a sign that the fake has drifted from what real authentik returns. Only release lines with a
     * schema of their own (2026.2, 2026.5, 2026.8) are checked: older ones are validated against a later line's
     * schema (requests) and legitimately answer differently. Answers are checked after
     * they are sent; this waits until every answer sent so far has been checked.
     */
    public List<String> responseViolations() {
        front.awaitResponseChecks(RESPONSE_CHECK_WAIT_MILLIS);
        synchronized (responseViolations) {
            return List.copyOf(responseViolations);
        }
    }
}
