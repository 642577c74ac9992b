package dev.chatgptsso.provisioner.integration;

import dev.chatgptsso.provisioner.Database;
import com.fasterxml.jackson.databind.JsonNode;
import dev.chatgptsso.provisioner.ProvisionerConfig;
import dev.chatgptsso.provisioner.authentik.AuthentikCallException;
import dev.chatgptsso.provisioner.authentik.AuthentikCallObserver;
import dev.chatgptsso.provisioner.authentik.AuthentikClient;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.OAuth2Provider;
import dev.chatgptsso.provisioner.instance.AuthentikInstance;
import dev.chatgptsso.provisioner.instance.InstanceService;
import dev.chatgptsso.provisioner.telemetry.Telemetry;
import dev.chatgptsso.provisioner.tenant.TenantService;
import dev.chatgptsso.provisioner.web.LogContextFilter;
import dev.chatgptsso.provisioner.web.Problem;
import dev.chatgptsso.provisioner.web.ProblemException;
import dev.chatgptsso.provisioner.web.ProblemType;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jboss.logging.MDC;

/**
 * The integration lifecycle: says <em>when</em> each operation may run (statuses, leases,
 * idempotency keys) and records who asked. The protocol steps say what each operation sends, the
 * authentik client how. No database transaction is held across an authentik call.
 */
@ApplicationScoped
public class IntegrationService {
    private static final Set<String> RESERVED_SLUGS = Set.of("authorize", "token", "device", "userinfo", "introspect", "revoke");

    private final IntegrationStore store;
    private final InstanceService instances;
    private final TenantService tenants;
    private final CreateWorkflow createWorkflow;
    private final Steps steps;
    private final Teardown teardown;
    private final Verification verification;
    private final Adoption adoption;
    private final Idempotency idempotency;
    private final ProcessIdentity process;
    private final java.util.concurrent.atomic.AtomicLong operations = new java.util.concurrent.atomic.AtomicLong();
    private final ProvisionerConfig config;
    private final Telemetry telemetry;
    private final StepWriter stepWriter;

    IntegrationService(IntegrationStore store, InstanceService instances, TenantService tenants, CreateWorkflow createWorkflow,
            Steps steps, Teardown teardown, Verification verification, Adoption adoption, Idempotency idempotency,
            ProcessIdentity process, ProvisionerConfig config, Telemetry telemetry, StepWriter stepWriter) {
        this.telemetry = telemetry;
        this.stepWriter = stepWriter;
        this.verification = verification;
        this.adoption = adoption;
        this.store = store;
        this.instances = instances;
        this.tenants = tenants;
        this.createWorkflow = createWorkflow;
        this.steps = steps;
        this.teardown = teardown;
        this.idempotency = idempotency;
        this.process = process;
        this.config = config;
    }

    /**
     * An operation's answer: status and body as the caller gets them. A replayed answer carries the
     * stored JSON; {@code integrationId} names the integration it is about.
     */
    public record Answer(int status, Object body, UUID integrationId) {}

    // ------------------------------------------------------------------ create

    public Answer create(String tenantId, IntegrationApi.CreateIntegration request, Optional<String> key, String actor) {
        tenants.require(tenantId);
        String slug = request.application().slug();
        if (RESERVED_SLUGS.contains(slug.toLowerCase())) {
            throw ProblemException.invalidField("application.slug", "'" + slug + "' is reserved by authentik");
        }
        return idempotent(tenantId, key, "create", null, request, 201,
                () -> {
                    CreateWorkflow.Created created = doCreate(tenantId, request, key, actor);
                    return new Answer(201, IntegrationApi.IntegrationView.of(created.integration(), created.clientSecret()),
                            created.integration().id);
                },
                answer -> IntegrationApi.IntegrationView.of(require(tenantId, answer.integrationId()), null));
    }

    private CreateWorkflow.Created doCreate(String tenantId, IntegrationApi.CreateIntegration request, Optional<String> key, String actor) {
        AuthentikInstance instance = resolveInstance(tenantId, request.instanceId());
        String owner = newLeaseOwner();
        Integration integration = begin(tenantId, instance, request, owner);
        MDC.put(LogContextFilter.INTEGRATION, integration.id.toString());
        key.ifPresent(k -> idempotency.attach(tenantId, k, integration.id));
        StepLog log = log(integration, actor, owner);
        log.enter("begin");
        log.state(IntegrationStatus.PROVISIONING.value());
        try {
            AuthentikClient client = instances.client(instance).observedBy(log);
            return createWorkflow.provision(new ProtocolSteps.Context(integration, instance, client, log), request);
        } finally {
            log.finish();
            releaseLease(log, integration.id, owner);
        }
    }

    /**
     * Releases the operation's lease unless its completing statement did ({@code log} may be null: nothing logged
     * yet). A release that fails (the database is down) must not replace the operation's own answer or failure: the
     * lease runs out by itself.
     */
    void releaseLease(StepLog log, UUID id, String owner) {
        if (log != null && log.leaseReleased()) {
            return;
        }
        try {
            store.releaseLease(id, owner);
        } catch (RuntimeException e) {
            Log.warnf("integration %s: the lease was not released (%s); it runs out by itself", id, e.getMessage());
        }
    }

    AuthentikInstance resolveInstance(String tenantId, UUID instanceId) {
        if (instanceId != null) {
            try {
                return instances.require(tenantId, instanceId);
            } catch (ProblemException notFound) {
                throw new ProblemException(ProblemType.VALIDATION, "instanceId: no such instance in tenant '" + tenantId + "'",
                        List.of(new Problem.FieldError("instanceId", "no such instance in this tenant")), Map.of());
            }
        }
        List<AuthentikInstance> all = instances.list(tenantId);
        if (all.size() != 1) {
            throw new ProblemException(ProblemType.INSTANCE_REQUIRED, "tenant '" + tenantId + "' has " + all.size()
                    + " instances; name one with instanceId", List.of(new Problem.FieldError("instanceId", "is required")), Map.of());
        }
        return all.get(0);
    }

    /**
     * Writes the record before the first authentik call, holding its lease and carrying the names of the objects the
     * create will make. The live-slug unique index refuses a second live record for the slug (also from another
     * replica), so no lookup precedes the insert.
     */
    private Integration begin(String tenantId, AuthentikInstance instance, IntegrationApi.CreateIntegration request, String leaseOwner) {
        IntegrationApi.ApplicationSpec app = request.application();
        Integration draft = new Integration();
        draft.id = UUID.randomUUID();
        draft.tenantId = tenantId;
        draft.instanceId = instance.id;
        draft.protocol = request.protocolOrDefault();
        draft.status = IntegrationStatus.PROVISIONING;
        draft.appName = app.name().strip();
        draft.appSlug = app.slug();
        draft.appGroup = app.group();
        draft.policyEngineMode = app.policyEngineMode() == null ? "any" : app.policyEngineMode();
        draft.authorizationFlowSlug = request.authorizationFlowSlug();
        draft.signingKeyId = request.signingKeyId();
        draft.authentikVersion = instance.version;
        draft.createdAt = Database.now();
        draft.updatedAt = draft.createdAt;
        draft.leaseOwner = leaseOwner;
        draft.leaseUntil = draft.createdAt.plus(config.reconciler().lease());
        steps.of(draft).nameObjects(draft);
        try {
            return store.begin(draft);
        } catch (Database.UniqueViolation e) {
            throw integrationExists(app.slug(), store.liveForSlug(instance.id, app.slug()).map(i -> i.id).orElse(null));
        }
    }

    private static ProblemException integrationExists(String slug, UUID existingId) {
        return new ProblemException(ProblemType.INTEGRATION_EXISTS,
                "a live integration for application slug '" + slug + "' already exists on this instance",
                List.of(new Problem.FieldError("application.slug", "already used by a live integration")),
                existingId == null ? Map.of() : Map.of("integrationId", existingId));
    }

    // ------------------------------------------------------------------ finalise

    public Answer finalise(String tenantId, UUID id, IntegrationApi.Finalise body, Optional<String> key, String actor) {
        tenants.require(tenantId);
        Integration integration = require(tenantId, id);
        ProtocolSteps protocol = steps.of(integration);
        List<Problem.FieldError> problems = protocol.finaliseProblems(body);
        if (!problems.isEmpty()) {
            throw new ProblemException(ProblemType.VALIDATION, problems.stream().map(f -> f.field() + ": " + f.message())
                    .reduce((a, b) -> a + "; " + b).orElse(""), problems, Map.of());
        }
        String target = protocol.finaliseTarget(body);
        return idempotent(tenantId, key, "finalise", id, body, 200,
                () -> new Answer(200, IntegrationApi.IntegrationView.of(doFinalise(integration, protocol, target, actor), null), id),
                answer -> IntegrationApi.IntegrationView.of(require(tenantId, id), null));
    }

    private Integration doFinalise(Integration integration, ProtocolSteps protocol, String target, String actor) {
        UUID id = integration.id;
        switch (integration.status) {
            case ACTIVE -> {
                if (protocol.finalisedWith(integration, target)) {
                    return integration;
                }
                throw new ProblemException(ProblemType.INTEGRATION_STATE_CONFLICT,
                        "the integration is already active with other values; delete it and create a new one to change them",
                        List.of(), Map.of("integrationId", id));
            }
            case AWAITING_FINALISE -> {
                // proceed below
            }
            default -> throw new ProblemException(ProblemType.INTEGRATION_STATE_CONFLICT,
                    "only an integration awaiting finalise can be finalised; this one is " + integration.status.value(), List.of(),
                    Map.of("integrationId", id));
        }
        return underLease(integration, actor, (current, log) -> {
            if (current.status != IntegrationStatus.AWAITING_FINALISE) {
                throw new ProblemException(ProblemType.INTEGRATION_STATE_CONFLICT,
                        "the integration changed to " + current.status.value() + " meanwhile", List.of(), Map.of("integrationId", id));
            }
            Integration pending = store.update(current, i -> {
                i.pendingOperation = "finalise";
                i.pendingTarget = target;
            });
            return completeFinalise(pending, protocol, target, log);
        });
    }

    /** Writes the finalise target and activates the record; on failure the record stays awaiting_finalise. */
    Integration completeFinalise(Integration integration, ProtocolSteps protocol, String target, StepLog log) {
        AuthentikInstance instance = instances.require(integration.tenantId, integration.instanceId);
        AuthentikClient client = instances.client(instance).observedBy(log);
        try {
            var completion = protocol.finalise(new ProtocolSteps.Context(integration, instance, client, log), target);
            log.enter("complete");
            return log.complete(integration, completion.andThen(i -> {
                i.status = IntegrationStatus.ACTIVE;
                i.pendingOperation = null;
                i.pendingTarget = null;
            }), IntegrationStatus.ACTIVE.value());
        } catch (AuthentikCallException e) {
            clearPending(integration.id);
            log.note("failed", "finalise failed; the integration stays awaiting_finalise");
            throw AuthentikProblems.of(e, log.step()).with("integrationId", integration.id);
        } catch (ProblemException e) {
            clearPending(integration.id);
            log.note("failed", e.getMessage());
            throw e.with("integrationId", integration.id).with("step", log.step());
        } catch (IntegrationStore.Unsettled e) {
            // authentik has the target; the record is active, or keeps its pending finalise for the reconciler
            Log.errorf(e, "integration %s: the finalise could not record its end", integration.id);
            throw new ProblemException(ProblemType.INTERNAL, "the finalise could not record its end (the database failed, or the "
                    + "operation outlived its lease); read the integration: it is active, or the reconciler carries the "
                    + "finalise out again; if it ends awaiting_finalise, finalise again", List.of(), Map.of("integrationId", integration.id));
        }
    }

    private void clearPending(UUID id) {
        store.update(id, i -> {
            i.pendingOperation = null;
            i.pendingTarget = null;
        });
    }

    // ------------------------------------------------------------------ credentials and secret rotation

    public IntegrationApi.Credentials credentials(String tenantId, UUID id, String actor) {
        tenants.require(tenantId);
        Integration integration = requireOidc(require(tenantId, id), "credentials");
        requireProvisioned(integration);
        StepLog log = log(integration, actor);
        log.enter("read-credentials");
        AuthentikInstance instance = instances.require(tenantId, integration.instanceId);
        AuthentikClient client = instances.client(instance).observedBy(log);
        try {
            OAuth2Provider provider = client.oauth2Provider(integration.providerPk).orElseThrow(() -> new ProblemException(
                    ProblemType.AUTHENTIK_OBJECT_NOT_FOUND, "the provider " + integration.providerPk
                            + " is not visible in authentik (deleted, or the token lacks permission); run verify"));
            log.audit("client credentials read");
            return new IntegrationApi.Credentials(provider.clientId(), provider.clientSecret());
        } catch (AuthentikCallException e) {
            throw AuthentikProblems.of(e, log.step()).with("integrationId", id);
        } finally {
            log.finish();
        }
    }

    public Answer rotateSecret(String tenantId, UUID id, Optional<String> key, String actor) {
        tenants.require(tenantId);
        Integration integration = requireOidc(require(tenantId, id), "secret rotation");
        requireProvisioned(integration);
        return idempotent(tenantId, key, "rotate-secret", id, Map.of(), 200, () -> {
            OffsetDateTime at = OffsetDateTime.now(ZoneOffset.UTC);
            String secret = underLease(integration, actor, (current, log) -> {
                requireProvisioned(current);
                AuthentikInstance instance = instances.require(tenantId, current.instanceId);
                AuthentikClient client = instances.client(instance).observedBy(log);
                try {
                    String rotated = steps.oidc().rotateSecret(new ProtocolSteps.Context(current, instance, client, log));
                    log.audit("client secret rotated; ChatGPT must be given the new secret");
                    return rotated;
                } catch (AuthentikCallException e) {
                    log.note("failed", "rotation failed; run it again (the secret in authentik may or may not have changed)");
                    throw AuthentikProblems.of(e, log.step()).with("integrationId", id);
                }
            });
            return new Answer(200, new IntegrationApi.RotatedSecret(id, integration.clientId, secret, at, ROTATION_NOTICE), id);
        }, answer -> answer.body());
    }

    static final String ROTATION_NOTICE = "The previous secret no longer works. Enter the new Client Secret in ChatGPT "
            + "(Identity & Access > Manage SSO > your connection) now; sign-ins fail until you do.";

    private static Integration requireOidc(Integration integration, String what) {
        if (!"oidc".equals(integration.protocol)) {
            throw new ProblemException(ProblemType.PROTOCOL_MISMATCH, what + " applies to OIDC integrations; this one is "
                    + integration.protocol, List.of(), Map.of("integrationId", integration.id));
        }
        return integration;
    }

    private static void requireProvisioned(Integration integration) {
        if (integration.status != IntegrationStatus.AWAITING_FINALISE && integration.status != IntegrationStatus.ACTIVE) {
            throw new ProblemException(ProblemType.INTEGRATION_STATE_CONFLICT,
                    "the integration is " + integration.status.value() + "; this needs it awaiting_finalise or active",
                    List.of(), Map.of("integrationId", integration.id));
        }
    }

    // ------------------------------------------------------------------ delete

    public Answer delete(String tenantId, UUID id, Optional<String> key, String actor) {
        tenants.require(tenantId);
        Integration integration = require(tenantId, id);
        return idempotent(tenantId, key, "delete", id, Map.of(), 200,
                () -> new Answer(200, IntegrationApi.IntegrationView.of(doDelete(integration, actor), null), id),
                answer -> IntegrationApi.IntegrationView.of(require(tenantId, id), null));
    }

    private Integration doDelete(Integration integration, String actor) {
        switch (integration.status) {
            case DELETED -> {
                return integration;
            }
            case PROVISIONING -> throw new ProblemException(ProblemType.INTEGRATION_BUSY,
                    "the integration is still being provisioned; delete it once that has finished", List.of(),
                    Map.of("integrationId", integration.id));
            default -> {
                // awaiting_finalise, active, failed and deleting (a retry) go ahead
            }
        }
        return underLease(integration, actor, (current, log) -> teardown.run(current, log));
    }

    // ------------------------------------------------------------------ verify and adopt

    /** The read-only report; writes nothing to authentik. {@code previewUsername} names the user whose claims are previewed. */
    public IntegrationApi.VerifyReport verify(String tenantId, UUID id, String previewUsername, String actor) {
        tenants.require(tenantId);
        Integration integration = require(tenantId, id);
        StepLog log = log(integration, actor);
        try {
            return verification.verify(integration, previewUsername, log);
        } catch (AuthentikCallException e) {
            throw AuthentikProblems.of(e, log.step()).with("integrationId", id);
        } finally {
            log.finish();
        }
    }

    private record EarlyCall(String method, String path, Integer status, long millis, AuthentikCallException failure) {}

    /** Records an application and provider made by hand as an adopted integration, then verifies it. Writes nothing to authentik. */
    public IntegrationApi.Adopted adopt(String tenantId, IntegrationApi.Adopt request, String actor) {
        tenants.require(tenantId);
        AuthentikInstance instance = resolveInstance(tenantId, request.instanceId());
        store.liveForSlug(instance.id, request.applicationSlug()).ifPresent(live -> {
            throw integrationExists(request.applicationSlug(), live.id);
        });
        Integration adopted;
        // the reads come before the record exists; they reach its step log once it does
        List<EarlyCall> earlyCalls = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        AuthentikCallObserver keepForLater = (method, path, status, millis, failure) ->
                earlyCalls.add(new EarlyCall(method, path, status, millis, failure));
        try {
            adopted = adoption.read(instance, instances.client(instance).observedBy(keepForLater), request.applicationSlug(), tenantId);
        } catch (AuthentikCallException e) {
            throw AuthentikProblems.of(e, "adopt");
        }
        try {
            store.begin(adopted);
        } catch (Database.UniqueViolation e) {
            throw integrationExists(request.applicationSlug(), store.liveForSlug(instance.id, request.applicationSlug()).map(i -> i.id).orElse(null));
        }
        StepLog log = log(adopted, actor);
        log.enter("adopt");
        earlyCalls.forEach(call -> log.called(call.method(), call.path(), call.status(), call.millis(), call.failure()));
        log.note("ok", "adopted application '" + adopted.appSlug + "' and provider " + adopted.providerPk
                + " made by hand; they will never be deleted by this service, only released");
        log.state(adopted.status.value());
        IntegrationApi.VerifyReport report;
        try {
            report = verification.verify(adopted, null, log);
        } catch (AuthentikCallException e) {
            log.note("failed", "verify after adopting failed: " + e.getMessage());
            report = new IntegrationApi.VerifyReport(adopted.id, false, List.of(new IntegrationApi.Check("verify",
                    IntegrationApi.CheckStatus.fail, e.getMessage())), OffsetDateTime.now(ZoneOffset.UTC));
        } finally {
            log.finish();
        }
        return new IntegrationApi.Adopted(IntegrationApi.IntegrationView.of(adopted, null), report);
    }

    // ------------------------------------------------------------------ reads

    public Integration require(String tenantId, UUID id) {
        return store.find(tenantId, id).orElseThrow(() -> ProblemException.notFound("integration"));
    }

    public IntegrationStore.PageOf<Integration> page(String tenantId, Optional<IntegrationStatus> status, int page, int size) {
        tenants.require(tenantId);
        return store.page(tenantId, status, page, size);
    }

    public IntegrationApi.EventPage events(String tenantId, UUID id, int page, int size) {
        tenants.require(tenantId);
        require(tenantId, id);
        IntegrationStore.PageOf<IntegrationStep> steps = store.steps(id, page, size);
        return new IntegrationApi.EventPage(steps.items().stream().map(s -> new IntegrationApi.Event(s.id, s.createdAt, s.step,
                s.httpMethod != null ? "authentik-call" : s.outcome.equals("state") ? "state-change" : s.outcome.equals("audit") ? "audit" : "note",
                s.outcome, s.httpMethod, s.httpPath, s.httpStatus, s.durationMs, s.detail, s.actor)).toList(), page, size, steps.total());
    }

    // ------------------------------------------------------------------ shared machinery

    /**
     * The step log of one operation. Entering a step renews the operation's lease once a quarter of
     * it has passed since it was taken (every log is made right after its lease was taken).
     */
    StepLog log(Integration integration, String actor, String leaseOwner) {
        UUID integrationId = integration.id;
        java.time.Duration lease = config.reconciler().lease();
        long renewEveryNanos = lease.toNanos() / 4;
        long[] renewedAt = {System.nanoTime()};
        return new StepLog(stepWriter, store, leaseOwner, integrationId, integration.tenantId, actor, telemetry, () -> {
            long now = System.nanoTime();
            if (leaseOwner != null && now - renewedAt[0] >= renewEveryNanos) {
                renewedAt[0] = now;
                store.renewLease(integrationId, leaseOwner, lease);
            }
        });
    }

    /** The step log of an operation that holds no lease (reads: credentials, verify, adopt). */
    private StepLog log(Integration integration, String actor) {
        return log(integration, actor, null);
    }

    /**
     * A lease owner for one operation: this process's name and the operation's number, so that two operations of one
     * process exclude each other as operations of two processes do.
     */
    String newLeaseOwner() {
        return process.id() + "#" + operations.incrementAndGet();
    }

    /**
     * Runs {@code work} holding the integration's lease (one operation at a time, across processes), on a current copy
     * of the record: {@code integration} itself when nothing changed it since it was read (the lease says its version),
     * else a fresh read. {@code work} may change the copy it is given.
     */
    <T> T underLease(Integration integration, String actor, java.util.function.BiFunction<Integration, StepLog, T> work) {
        String owner = newLeaseOwner();
        OptionalLong version = store.tryLease(integration.id, owner, config.reconciler().lease());
        if (version.isEmpty()) {
            throw new ProblemException(ProblemType.INTEGRATION_BUSY, "another operation on this integration is in progress; retry shortly",
                    List.of(), Map.of("integrationId", integration.id));
        }
        StepLog log = log(integration, actor, owner);
        try {
            Integration current = version.getAsLong() == integration.rowVersion ? integration : store.byId(integration.id).orElseThrow();
            return work.apply(current, log);
        } finally {
            log.finish();
            releaseLease(log, integration.id, owner);
        }
    }

    /**
     * Runs {@code operation} once per {@code Idempotency-Key}. The first successful answer is kept
     * (secrets dropped: {@code stripped} renders what a repeat gets) and returned to every repeat
     * with the same request; a failed attempt frees the key.
     */
    private Answer idempotent(String tenantId, Optional<String> key, String operation, UUID target, Object request, int successStatus,
            Supplier<Answer> operationRun, Function<Answer, Object> stripped) {
        if (key.isEmpty()) {
            return operationRun.get();
        }
        String fingerprint = Idempotency.fingerprint(operation, target, request);
        Idempotency.Claim claim = idempotency.claim(tenantId, key.get(), operation, fingerprint, config.reconciler().lease());
        if (claim instanceof Idempotency.Claim.Replay replay) {
            Object body = replay.body() != null ? replay.body()
                    : IntegrationApi.IntegrationView.of(require(tenantId, replay.integrationId()), null);
            return new Answer(replay.status(), body, replay.integrationId());
        }
        if (claim instanceof Idempotency.Claim.Busy busy) {
            if (!busy.abandoned()) {
                throw new ProblemException(ProblemType.IDEMPOTENCY_KEY_IN_PROGRESS,
                        "a request with this Idempotency-Key is still being processed; retry shortly", List.of(),
                        busy.integrationId() == null ? Map.of() : Map.of("integrationId", busy.integrationId()));
            }
            // its process died mid-request; the reconciler owns the integration, so the key starts afresh
            Log.infof("Idempotency-Key of an abandoned %s request taken over", operation);
            idempotency.release(tenantId, key.get());
            return idempotent(tenantId, key, operation, target, request, successStatus, operationRun, stripped);
        }
        try {
            Answer answer = operationRun.get();
            JsonNode kept = idempotency.toJson(stripped.apply(answer));
            if (kept.isObject()) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) kept).remove("clientSecret");
                if (kept.has("oidc") && kept.get("oidc").isObject()) {
                    ((com.fasterxml.jackson.databind.node.ObjectNode) kept.get("oidc")).remove("clientSecret");
                }
            }
            idempotency.complete(tenantId, key.get(), answer.status(), kept);
            return answer;
        } catch (RuntimeException e) {
            try {
                idempotency.release(tenantId, key.get());
            } catch (RuntimeException releaseFailed) { // the failure itself is the answer; the key is taken over once abandoned
                e.addSuppressed(releaseFailed);
            }
            throw e;
        }
    }
}
