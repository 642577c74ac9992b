package dev.chatgptsso.provisioner.integration;

import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.chatgptsso.provisioner.ProvisionerConfig;
import dev.chatgptsso.provisioner.authentik.ApiGeneration;
import dev.chatgptsso.provisioner.authentik.AuthentikCallException;
import dev.chatgptsso.provisioner.authentik.AuthentikClient;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.Application;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.CertificateKeyPair;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.Flow;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.OAuth2Provider;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.ScopeMapping;
import dev.chatgptsso.provisioner.chatgpt.ChatGptOidcRecipe;
import dev.chatgptsso.provisioner.chatgpt.ChatGptOidcRecipe.ApplicationInputs;
import dev.chatgptsso.provisioner.chatgpt.ChatGptOidcRecipe.ProviderInputs;
import dev.chatgptsso.provisioner.chatgpt.LoginRedirectUri;
import dev.chatgptsso.provisioner.instance.AuthentikInstance;
import dev.chatgptsso.provisioner.instance.InstanceService;
import dev.chatgptsso.provisioner.tenant.TenantService;
import dev.chatgptsso.provisioner.web.Problem;
import dev.chatgptsso.provisioner.web.ProblemException;
import dev.chatgptsso.provisioner.web.ProblemType;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The ChatGPT OIDC workflow: says <em>when</em> each part of the recipe is created, records every
 * step, and compensates on failure so that no half-made objects stay in authentik.
 */
@ApplicationScoped
public class IntegrationService {
    private static final Set<String> RESERVED_SLUGS = Set.of("authorize", "token", "device", "userinfo", "introspect", "revoke");
    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final ObjectMapper CANONICAL_JSON = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .findAndAddModules()
            .build();

    private final IntegrationStore store;
    private final InstanceService instances;
    private final TenantService tenants;
    private final ProvisionerConfig config;
    private final SecureRandom random = new SecureRandom();

    IntegrationService(IntegrationStore store, InstanceService instances, TenantService tenants, ProvisionerConfig config) {
        this.store = store;
        this.instances = instances;
        this.tenants = tenants;
        this.config = config;
    }

    /** The created (or replayed) integration; {@code clientSecret} is only set for a fresh create. */
    public record Created(Integration integration, String clientSecret, boolean replayed) {
        @Override
        public String toString() {
            return "Created[" + integration.id + ", replayed=" + replayed + "]";
        }
    }

    public Created create(String tenantId, IntegrationApi.CreateIntegration request, Optional<String> idempotencyKey) {
        tenants.require(tenantId);
        String slug = request.application().slug();
        if (RESERVED_SLUGS.contains(slug.toLowerCase())) {
            throw ProblemException.invalidField("application.slug", "'" + slug + "' is reserved by authentik");
        }
        String fingerprint = fingerprint(request);
        if (idempotencyKey.isPresent()) {
            Optional<Created> replay = replay(tenantId, idempotencyKey.get(), fingerprint);
            if (replay.isPresent()) {
                return replay.get();
            }
        }
        AuthentikInstance instance = resolveInstance(tenantId, request.instanceId());
        Integration integration = begin(tenantId, instance, request, idempotencyKey, fingerprint);
        StepLog log = new StepLog(store, integration.id);
        log.enter("begin");
        log.state("provisioning");
        return provision(integration, instance, request, log);
    }

    private Optional<Created> replay(String tenantId, String key, String fingerprint) {
        return store.byIdempotencyKey(tenantId, key).map(existing -> {
            if (!Objects.equals(existing.requestFingerprint, fingerprint)) {
                throw new ProblemException(ProblemType.IDEMPOTENCY_KEY_REUSED,
                        "Idempotency-Key was first used with a different request body", List.of(), Map.of("integrationId", existing.id));
            }
            return new Created(existing, null, true);
        });
    }

    private AuthentikInstance resolveInstance(String tenantId, UUID instanceId) {
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

    private Integration begin(String tenantId, AuthentikInstance instance, IntegrationApi.CreateIntegration request,
            Optional<String> idempotencyKey, String fingerprint) {
        IntegrationApi.ApplicationSpec app = request.application();
        store.liveForSlug(instance.id, app.slug()).ifPresent(live -> {
            throw integrationExists(app.slug(), live.id);
        });
        Integration draft = new Integration();
        draft.id = UUID.randomUUID();
        draft.tenantId = tenantId;
        draft.instanceId = instance.id;
        draft.protocol = "oidc";
        draft.status = IntegrationStatus.PROVISIONING;
        draft.appName = app.name().strip();
        draft.appSlug = app.slug();
        draft.appGroup = app.group();
        draft.policyEngineMode = app.policyEngineMode() == null ? "any" : app.policyEngineMode();
        draft.authorizationFlowSlug = request.authorizationFlowSlug();
        draft.signingKeyId = request.signingKeyId();
        draft.authentikVersion = instance.version;
        draft.idempotencyKey = idempotencyKey.orElse(null);
        draft.requestFingerprint = fingerprint;
        draft.createdAt = IntegrationStore.now();
        draft.updatedAt = draft.createdAt;
        try {
            return store.begin(draft);
        } catch (IntegrationStore.UniqueViolation e) {
            if (e.isIdempotencyKey() && idempotencyKey.isPresent()) {
                throw new ProblemException(ProblemType.INTEGRATION_STATE_CONFLICT,
                        "a request with this Idempotency-Key is being processed; retry shortly");
            }
            throw integrationExists(app.slug(), store.liveForSlug(instance.id, app.slug()).map(i -> i.id).orElse(null));
        }
    }

    private static ProblemException integrationExists(String slug, UUID existingId) {
        return new ProblemException(ProblemType.INTEGRATION_EXISTS,
                "a live integration for application slug '" + slug + "' already exists on this instance",
                List.of(new Problem.FieldError("application.slug", "already used by a live integration")),
                existingId == null ? Map.of() : Map.of("integrationId", existingId));
    }

    private Created provision(Integration integration, AuthentikInstance instance, IntegrationApi.CreateIntegration request, StepLog log) {
        AuthentikClient client = instances.client(instance).observedBy(log);
        boolean writeIssued = false;
        try {
            log.enter("detect-version");
            ApiGeneration generation = instances.generation(instance, client);
            store.update(integration.id, i -> i.authentikVersion = instance.version);

            log.enter("resolve-flows");
            Flow authorizationFlow = flow(client, Optional.ofNullable(request.authorizationFlowSlug())
                    .orElse(config.chatgpt().authorizationFlowSlug()), "authorization", "authorizationFlowSlug");
            Flow invalidationFlow = flow(client, config.chatgpt().invalidationFlowSlug(), "invalidation", null);

            log.enter("resolve-signing-key");
            CertificateKeyPair signingKey = signingKey(client, request.signingKeyId());

            log.enter("resolve-scope-mappings");
            List<String> mappingPks = new ArrayList<>(managedMappingPks(client));
            log.enter("ensure-profile-mapping");
            ScopeMapping profile = ensureProfileMapping(client, instance, log);
            mappingPks.add(profile.pk());

            log.enter("check-application-slug");
            ensureSlugFree(client, integration, log);

            ProviderInputs provider = new ProviderInputs(ChatGptOidcRecipe.providerName(integration.appSlug, integration.id),
                    authorizationFlow.pk(), invalidationFlow.pk(), signingKey.pk(), List.copyOf(mappingPks),
                    randomAlphanumeric(40), randomAlphanumeric(128));
            ApplicationInputs application = new ApplicationInputs(integration.appName, integration.appSlug, integration.appGroup,
                    integration.policyEngineMode);
            store.update(integration.id, i -> {
                i.providerName = provider.name();
                i.clientId = provider.clientId();
                i.propertyMappingPks = new ArrayList<>(mappingPks);
            });

            log.enter("create-application-and-provider");
            writeIssued = true;
            client.createApplicationWithProvider(ChatGptOidcRecipe.applicationWithProvider(generation, application, provider));

            log.enter("read-back");
            Application createdApp = client.application(integration.appSlug)
                    .orElseThrow(() -> mismatch("the application is not readable after authentik reported it created"));
            if (createdApp.provider() == null) {
                throw mismatch("the application has no provider after authentik reported both created");
            }
            OAuth2Provider stored = client.oauth2Provider(createdApp.provider())
                    .orElseThrow(() -> mismatch("the provider is not readable after authentik reported it created"));
            Integration withPks = store.update(integration.id, i -> {
                i.applicationPk = UUID.fromString(createdApp.pk());
                i.providerPk = stored.pk();
            });
            List<String> differences = ChatGptOidcRecipe.storedDifferences(generation, provider, stored, ChatGptOidcRecipe.TEMPORARY_REDIRECT_URI);
            if (!differences.isEmpty()) {
                throw mismatch("authentik stored different values for " + String.join(", ", differences));
            }

            log.enter("complete");
            Integration done = store.update(withPks.id, i -> {
                i.status = IntegrationStatus.AWAITING_FINALISE;
                i.issuer = ChatGptOidcRecipe.issuer(instance.baseUrl, i.appSlug);
                i.discoveryEndpoint = ChatGptOidcRecipe.discoveryEndpoint(instance.baseUrl, i.appSlug);
                i.redirectUris = new ArrayList<>(List.of(ChatGptOidcRecipe.TEMPORARY_REDIRECT_URI));
            });
            log.state("awaiting_finalise");
            Log.infof("integration %s: ChatGPT OIDC provisioned in %s as application %s", done.id, instance.baseUrl, done.appSlug);
            return new Created(done, provider.clientSecret(), false);
        } catch (AuthentikCallException e) {
            String step = log.step();
            fail(integration, client, log, writeIssued, e.outcomeUnknown(), step, e.status(), e.getMessage());
            throw AuthentikProblems.of(e, step).with("integrationId", integration.id);
        } catch (ProblemException e) {
            String step = log.step();
            fail(integration, client, log, writeIssued, false, step, null, e.getMessage());
            throw e.with("integrationId", integration.id).with("step", step);
        } catch (RuntimeException e) {
            String step = log.step();
            Log.errorf(e, "integration %s: unexpected failure in step %s", integration.id, step);
            fail(integration, client, log, writeIssued, true, step, null, "unexpected internal error");
            throw e;
        }
    }

    private Flow flow(AuthentikClient client, String slug, String designation, String requestField) {
        Flow flow = client.flow(slug).orElseThrow(() -> prerequisite(designation + " flow '" + slug + "' does not exist in authentik", requestField));
        if (!designation.equals(flow.designation())) {
            throw prerequisite("flow '" + slug + "' has designation " + flow.designation() + ", not " + designation, requestField);
        }
        return flow;
    }

    private CertificateKeyPair signingKey(AuthentikClient client, UUID requestedKey) {
        CertificateKeyPair key;
        if (requestedKey != null) {
            key = client.certificateKeyPair(requestedKey.toString())
                    .orElseThrow(() -> prerequisite("signing key " + requestedKey + " does not exist in authentik", "signingKeyId"));
        } else {
            String name = config.chatgpt().signingKeyName();
            key = client.certificateKeyPairsWithKeyNamed(name).stream().filter(k -> name.equals(k.name())).findFirst()
                    .orElseThrow(() -> prerequisite("no certificate-key pair named '" + name + "' with a private key exists; name one with signingKeyId", "signingKeyId"));
        }
        if (!Boolean.TRUE.equals(key.privateKeyAvailable())) {
            throw prerequisite("signing key '" + key.name() + "' has no private key", requestedKey == null ? null : "signingKeyId");
        }
        String type = key.effectiveKeyType();
        if (type != null && !ChatGptOidcRecipe.SIGNING_KEY_TYPES.contains(type.toLowerCase())) {
            throw prerequisite("signing key '" + key.name() + "' is " + type + "; OIDC tokens need an RSA or EC key", requestedKey == null ? null : "signingKeyId");
        }
        return key;
    }

    private List<String> managedMappingPks(AuthentikClient client) {
        List<ScopeMapping> managed = client.managedScopeMappings(List.of(ChatGptOidcRecipe.MANAGED_OPENID, ChatGptOidcRecipe.MANAGED_EMAIL));
        List<String> pks = new ArrayList<>();
        for (String id : List.of(ChatGptOidcRecipe.MANAGED_OPENID, ChatGptOidcRecipe.MANAGED_EMAIL)) {
            pks.add(managed.stream().filter(m -> id.equals(m.managed())).findFirst()
                    .orElseThrow(() -> prerequisite("authentik's managed scope mapping " + id + " is missing", null)).pk());
        }
        return pks;
    }

    /**
     * The instance's shared profile mapping: found by its recorded pk, else by its deterministic
     * name, else created. A recorded pk that answers 404 is confirmed gone by a list by name
     * (lists answer 403, not an empty result, when the token lacks view permission). Someone's
     * edits to our expression are put back.
     */
    private ScopeMapping ensureProfileMapping(AuthentikClient client, AuthentikInstance instance, StepLog log) {
        String name = ChatGptOidcRecipe.profileMappingName(instance.id);
        Optional<ScopeMapping> mapping = Optional.empty();
        if (instance.profileMappingPk != null) {
            mapping = client.scopeMapping(instance.profileMappingPk.toString());
        }
        if (mapping.isEmpty()) {
            mapping = client.scopeMappingsNamed(name).stream().filter(m -> name.equals(m.name())).findFirst();
        }
        if (mapping.isEmpty()) {
            try {
                mapping = Optional.of(client.createScopeMapping(ChatGptOidcRecipe.profileMapping(instance.id)));
                log.note("ok", "created the instance's ChatGPT profile mapping");
            } catch (AuthentikCallException e) {
                // a concurrent first create on the same instance made it a moment ago
                if (!e.isStatus(400) || e.fieldErrors().stream().noneMatch(f -> f.field().equals("name"))) {
                    throw e;
                }
                mapping = client.scopeMappingsNamed(name).stream().filter(m -> name.equals(m.name())).findFirst();
                if (mapping.isEmpty()) {
                    throw e;
                }
            }
        }
        ScopeMapping found = mapping.get();
        if (!ChatGptOidcRecipe.PROFILE_MAPPING_EXPRESSION.equals(found.expression()) || !"profile".equals(found.scopeName())) {
            found = client.patchScopeMapping(found.pk(), Map.of("expression", ChatGptOidcRecipe.PROFILE_MAPPING_EXPRESSION, "scope_name", "profile"));
            if (!ChatGptOidcRecipe.PROFILE_MAPPING_EXPRESSION.equals(found.expression()) || !"profile".equals(found.scopeName())) {
                throw mismatch("the profile mapping does not keep the expression this service writes");
            }
            log.note("ok", "restored the profile mapping's expression");
        }
        UUID pk = UUID.fromString(found.pk());
        if (!pk.equals(instance.profileMappingPk)) {
            instances.recordProfileMapping(instance.id, pk, name);
            instance.profileMappingPk = pk;
            instance.profileMappingName = name;
        }
        return found;
    }

    /**
     * A slug already taken in authentik is refused (409) before anything is created, unless the
     * application is a leftover of one of our own failed attempts (its provider carries a client
     * id we generated and recorded): then it is ours, and is removed first.
     */
    private void ensureSlugFree(AuthentikClient client, Integration integration, StepLog log) {
        Optional<Application> existing = client.application(integration.appSlug);
        if (existing.isEmpty()) {
            return;
        }
        Application app = existing.get();
        Optional<OAuth2Provider> provider = app.provider() == null ? Optional.empty() : client.oauth2Provider(app.provider());
        List<Integration> ourFailures = store.failedForSlug(integration.instanceId, integration.appSlug);
        Optional<Integration> owner = provider.flatMap(p -> ourFailures.stream().filter(f -> f.clientId.equals(p.clientId())).findFirst());
        if (owner.isEmpty()) {
            throw new ProblemException(ProblemType.APPLICATION_SLUG_TAKEN,
                    "application slug '" + integration.appSlug + "' already exists in authentik and was not created by this service",
                    List.of(new Problem.FieldError("application.slug", "already exists in authentik")), Map.of());
        }
        log.enter("remove-leftover");
        client.deleteApplication(integration.appSlug);
        client.deleteOAuth2Provider(provider.get().pk());
        store.update(owner.get().id, i -> i.cleanupPending = false);
        log.note("ok", "removed application and provider left by failed integration " + owner.get().id);
        log.enter("check-application-slug");
    }

    /**
     * Marks the integration failed and removes what this attempt may have created in authentik,
     * newest first. Objects are found by the slug and the client id this attempt generated, so
     * nothing that is not ours is touched. When authentik may still be carrying out a write that
     * timed out, the lookup is repeated once after a read timeout.
     */
    private void fail(Integration integration, AuthentikClient client, StepLog log, boolean writeIssued, boolean outcomeUnknown,
            String step, Integer authentikStatus, String detail) {
        boolean cleanupPending = false;
        if (writeIssued) {
            log.enter("compensate");
            try {
                boolean removed = removeAttemptObjects(client, integration);
                if (!removed && outcomeUnknown) {
                    sleep(config.authentik().readTimeout().toMillis());
                    removeAttemptObjects(client, integration);
                }
            } catch (AuthentikCallException e) {
                cleanupPending = true;
                log.note("failed", "compensation incomplete: " + e.getMessage());
            }
        }
        boolean pending = cleanupPending;
        store.update(integration.id, i -> {
            i.status = IntegrationStatus.FAILED;
            i.failureStep = step;
            i.failureStatus = authentikStatus;
            i.failureDetail = detail;
            i.cleanupPending = pending;
            if (!pending) {
                i.applicationPk = null;
                i.providerPk = null;
            }
        });
        log.enter(step);
        log.state("failed");
    }

    /** Deletes this attempt's application and provider if they exist; true if anything was found. */
    private boolean removeAttemptObjects(AuthentikClient client, Integration integration) {
        String clientId = store.find(integration.tenantId, integration.id).map(i -> i.clientId).orElse(null);
        if (clientId == null) {
            return false;
        }
        List<OAuth2Provider> ours = client.oauth2ProvidersWithClientId(clientId).stream()
                .filter(p -> clientId.equals(p.clientId())).toList();
        boolean found = false;
        Optional<Application> app = client.application(integration.appSlug);
        if (app.isPresent() && app.get().provider() != null && ours.stream().anyMatch(p -> p.pk().equals(app.get().provider()))) {
            client.deleteApplication(integration.appSlug);
            found = true;
        }
        for (OAuth2Provider provider : ours) {
            client.deleteOAuth2Provider(provider.pk());
            found = true;
        }
        return found;
    }

    public Integration finalise(String tenantId, UUID id, IntegrationApi.Finalise request) {
        tenants.require(tenantId);
        Integration integration = require(tenantId, id);
        String uri = request == null ? null : request.loginRedirectUri();
        LoginRedirectUri.problem(uri).ifPresent(message -> {
            throw ProblemException.invalidField("loginRedirectUri", message);
        });
        switch (integration.status) {
            case ACTIVE -> {
                if (uri.equals(integration.loginRedirectUri)) {
                    return integration;
                }
                throw new ProblemException(ProblemType.INTEGRATION_STATE_CONFLICT,
                        "the integration is already active with another Login redirect URI", List.of(), Map.of("integrationId", id));
            }
            case AWAITING_FINALISE -> {
                // proceed below
            }
            default -> throw new ProblemException(ProblemType.INTEGRATION_STATE_CONFLICT,
                    "only an integration awaiting finalise can be finalised; this one is " + integration.status.value(), List.of(),
                    Map.of("integrationId", id));
        }
        AuthentikInstance instance = instances.require(tenantId, integration.instanceId);
        StepLog log = new StepLog(store, id);
        AuthentikClient client = instances.client(instance).observedBy(log);
        try {
            log.enter("detect-version");
            ApiGeneration generation = instances.generation(instance, client);
            log.enter("finalise-redirect-uri");
            client.patchOAuth2Provider(integration.providerPk, Map.of("redirect_uris", ChatGptOidcRecipe.redirectUris(generation, uri)));
            log.enter("finalise-read-back");
            OAuth2Provider stored = client.oauth2Provider(integration.providerPk)
                    .orElseThrow(() -> mismatch("the provider is not readable after the redirect URI was written; check the token's permissions"));
            if (!ChatGptOidcRecipe.redirectDifferences(generation, stored, uri).isEmpty()) {
                throw mismatch("authentik did not store exactly the Login redirect URI as the only strict authorization redirect");
            }
        } catch (AuthentikCallException e) {
            log.note("failed", "finalise failed; the integration stays awaiting_finalise");
            throw AuthentikProblems.of(e, log.step()).with("integrationId", id);
        } catch (ProblemException e) {
            log.note("failed", e.getMessage());
            throw e.with("integrationId", id).with("step", log.step());
        }
        Integration active = store.update(id, i -> {
            i.status = IntegrationStatus.ACTIVE;
            i.loginRedirectUri = uri;
            i.redirectUris = new ArrayList<>(List.of(uri));
        });
        log.enter("complete");
        log.state("active");
        return active;
    }

    public Integration require(String tenantId, UUID id) {
        return store.find(tenantId, id).orElseThrow(() -> ProblemException.notFound("integration"));
    }

    public IntegrationStore.PageOf page(String tenantId, Optional<IntegrationStatus> status, int page, int size) {
        tenants.require(tenantId);
        return store.page(tenantId, status, page, size);
    }

    private static ProblemException prerequisite(String detail, String field) {
        return new ProblemException(ProblemType.AUTHENTIK_PREREQUISITE_MISSING, detail,
                field == null ? List.of() : List.of(new Problem.FieldError(field, detail)), Map.of());
    }

    private static ProblemException mismatch(String detail) {
        return new ProblemException(ProblemType.AUTHENTIK_STATE_MISMATCH, detail);
    }

    private String randomAlphanumeric(int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(ALPHANUMERIC.charAt(random.nextInt(ALPHANUMERIC.length())));
        }
        return out.toString();
    }

    private static String fingerprint(IntegrationApi.CreateIntegration request) {
        try {
            byte[] canonical = CANONICAL_JSON.writeValueAsBytes(request);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot fingerprint request", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
