package dev.chatgptsso.provisioner.instance;

import dev.chatgptsso.provisioner.Database;
import dev.chatgptsso.provisioner.ProvisionerConfig;
import dev.chatgptsso.provisioner.authentik.AuthentikCallException;
import dev.chatgptsso.provisioner.authentik.AuthentikClient;
import dev.chatgptsso.provisioner.authentik.AuthentikClients;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.UserSelf;
import dev.chatgptsso.provisioner.authentik.AuthentikVersion;
import dev.chatgptsso.provisioner.authentik.MappingKind;
import dev.chatgptsso.provisioner.authentik.ParallelCalls;
import dev.chatgptsso.provisioner.chatgpt.ChatGptOidcRecipe;
import dev.chatgptsso.provisioner.chatgpt.ChatGptSamlRecipe;
import dev.chatgptsso.provisioner.chatgpt.OwnedMapping;
import dev.chatgptsso.provisioner.tenant.TenantService;
import dev.chatgptsso.provisioner.web.ProblemException;
import dev.chatgptsso.provisioner.web.ProblemType;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Registers authentik instances (after checking reachability, token, version and permissions, in
 * parallel) and hands out clients for them. Never holds a database transaction across an authentik call.
 */
@ApplicationScoped
public class InstanceService {
    /** What the ChatGPT recipes need the token's user to be allowed (REFERENCE.md 1.2). */
    static final List<String> REQUIRED_PERMISSIONS = List.of(
            "authentik_flows.view_flow",
            "authentik_crypto.view_certificatekeypair",
            "authentik_providers_oauth2.view_scopemapping",
            "authentik_providers_oauth2.add_scopemapping",
            "authentik_providers_oauth2.change_scopemapping",
            "authentik_providers_oauth2.delete_scopemapping",
            "authentik_providers_oauth2.view_oauth2provider",
            "authentik_providers_oauth2.add_oauth2provider",
            "authentik_providers_oauth2.change_oauth2provider",
            "authentik_providers_oauth2.delete_oauth2provider",
            "authentik_core.view_application",
            "authentik_core.add_application",
            "authentik_core.delete_application");

    private final InstanceRepository instances;
    private final TenantService tenants;
    private final TokenCipher cipher;
    private final InstanceUrlPolicy urlPolicy;
    private final AuthentikClients clients;
    private final InstanceCatalog catalog;
    private final ProvisionerConfig config;
    private final ParallelCalls parallel;

    InstanceService(InstanceRepository instances, TenantService tenants, TokenCipher cipher, InstanceUrlPolicy urlPolicy,
            AuthentikClients clients, InstanceCatalog catalog, ProvisionerConfig config, ParallelCalls parallel) {
        this.instances = instances;
        this.tenants = tenants;
        this.cipher = cipher;
        this.urlPolicy = urlPolicy;
        this.clients = clients;
        this.catalog = catalog;
        this.config = config;
        this.parallel = parallel;
    }

    public AuthentikInstance register(String tenantId, InstanceApi.RegisterInstance request) {
        tenants.require(tenantId);
        String name = request.name().strip();
        if (instances.nameTaken(tenantId, name)) {
            throw new ProblemException(ProblemType.INSTANCE_EXISTS, "tenant '" + tenantId + "' already has an instance named '" + name + "'");
        }
        String baseUrl = urlPolicy.check(request.baseUrl());
        boolean verifyTls = request.verifyTls() == null || request.verifyTls();
        String caBundle = request.caBundlePem() == null || request.caBundlePem().isBlank() ? null : request.caBundlePem().strip();
        if (caBundle != null) {
            try {
                AuthentikClients.trustStore(caBundle);
            } catch (IllegalArgumentException e) {
                throw ProblemException.invalidField("caBundlePem", e.getMessage());
            }
        }
        AuthentikInstance instance = new AuthentikInstance();
        instance.id = UUID.randomUUID();
        instance.baseUrl = baseUrl;
        AuthentikClient client = clients.forInstance(instance.id,
                new AuthentikClients.Connection(baseUrl, request.apiToken(), verifyTls, caBundle));
        AuthentikVersion version;
        try {
            // one round trip: version, permissions and the recipes' lookups side by side
            CompletableFuture<AuthentikVersion> versionCheck = async(() -> registrationCall(() -> InstanceCatalog.readVersion(client)));
            List<CompletableFuture<?>> lookups = prefetch(instance, client);
            CompletableFuture<UserSelf> permissionCheck = ParallelCalls.onThisThread(() -> registrationCall(client::currentUser));
            version = ParallelCalls.join(versionCheck);
            checkPermissions(ParallelCalls.join(permissionCheck));
            catalog.rememberVersion(instance.id, version);
            awaitQuietly(lookups, instance.id);
        } catch (RuntimeException e) {
            clients.forget(instance.id);
            catalog.invalidate(instance.id);
            throw e;
        }

        instance.tenantId = tenantId;
        instance.name = name;
        instance.apiTokenCiphertext = cipher.encrypt(request.apiToken(), instance.id.toString());
        instance.verifyTls = verifyTls;
        instance.caBundlePem = caBundle;
        instance.version = version.raw();
        instance.status = "ready";
        instance.checkedAt = Database.now();
        instance.createdAt = instance.checkedAt;
        try {
            instances.add(instance);
        } catch (Database.UniqueViolation e) {
            if (InstanceRepository.NAME_UNIQUE.equals(e.constraint())) {
                // registered meanwhile by a concurrent request
                throw new ProblemException(ProblemType.INSTANCE_EXISTS, "tenant '" + tenantId + "' already has an instance named '" + name + "'");
            }
            throw e;
        }
        Log.infof("registered authentik %s for tenant %s as instance %s", version, tenantId, instance.id);
        return instance;
    }

    /**
     * Starts the lookups the recipes need (flows, default signing key, managed mappings) so the first create on the
     * instance starts warm; the owned mappings, named after the new instance's id, are known not to exist yet.
     * Best effort: a lookup that fails here fails again, with its proper problem, in the create that needs it.
     */
    private List<CompletableFuture<?>> prefetch(AuthentikInstance instance, AuthentikClient client) {
        for (OwnedMapping owned : List.of(ChatGptOidcRecipe.profileMapping(instance.id), ChatGptSamlRecipe.givenNameMapping(instance.id),
                ChatGptSamlRecipe.surnameMapping(instance.id))) {
            catalog.rememberNotMadeYet(instance.id, owned);
        }
        return List.of(
                async(() -> catalog.flow(instance, client, config.chatgpt().authorizationFlowSlug(), "authorization", null)),
                async(() -> catalog.flow(instance, client, config.chatgpt().invalidationFlowSlug(), "invalidation", null)),
                async(() -> catalog.signingKey(instance, client, null, config.chatgpt().signingKeyName(), ChatGptOidcRecipe.SIGNING_KEY_TYPES, "OIDC")),
                async(() -> catalog.managedMappings(instance, client, MappingKind.SCOPE, ChatGptOidcRecipe.MANAGED_SCOPES)));
    }

    private static void awaitQuietly(List<CompletableFuture<?>> lookups, UUID instanceId) {
        for (CompletableFuture<?> lookup : lookups) {
            try {
                lookup.join();
            } catch (CompletionException e) {
                Log.debugf("instance %s: prefetch lookup failed: %s", instanceId, e.getCause() == null ? e : e.getCause().getMessage());
            }
        }
    }

    public List<AuthentikInstance> list(String tenantId) {
        tenants.require(tenantId);
        return instances.ofTenant(tenantId);
    }

    public AuthentikInstance require(String tenantId, UUID instanceId) {
        return instances.ofTenant(tenantId, instanceId)
                .orElseThrow(() -> ProblemException.notFound("instance '" + instanceId + "'"));
    }

    public AuthentikClient client(AuthentikInstance instance) {
        String token = cipher.decrypt(instance.apiTokenCiphertext, instance.id.toString());
        return clients.forInstance(instance.id, new AuthentikClients.Connection(instance.baseUrl, token, instance.verifyTls, instance.caBundlePem));
    }

    /** Health of one instance as this service sees it now: reachable, token accepted, version, latency. Never throws for authentik's state. */
    public InstanceApi.InstanceHealth health(String tenantId, UUID instanceId) {
        AuthentikInstance instance = require(tenantId, instanceId);
        AuthentikClient client = client(instance);
        long start = System.nanoTime();
        try {
            AuthentikVersion version = InstanceCatalog.readVersion(client);
            long latency = (System.nanoTime() - start) / 1_000_000;
            return new InstanceApi.InstanceHealth(instance.id, true, true, version.raw(), version.isSupported(), latency, null, Database.now());
        } catch (AuthentikCallException e) {
            long latency = (System.nanoTime() - start) / 1_000_000;
            boolean answered = e.kind() == AuthentikCallException.Kind.HTTP;
            // only a 401/403 judges the token; an error answer, no answer or an open circuit says nothing about it
            Boolean tokenValid = answered && (e.isStatus(401) || e.isStatus(403)) ? Boolean.FALSE : null;
            return new InstanceApi.InstanceHealth(instance.id, answered, tokenValid, null, null, latency, e.getMessage(), Database.now());
        } catch (ProblemException e) {
            long latency = (System.nanoTime() - start) / 1_000_000;
            return new InstanceApi.InstanceHealth(instance.id, true, true, null, false, latency, e.getMessage(), Database.now());
        }
    }

    /** Re-encrypts every stored token still under an older key with the newest one; returns how many it changed. */
    public InstanceApi.ReEncryption reencryptTokens() {
        List<UUID> ids = instances.allIds();
        int changed = 0;
        for (UUID id : ids) {
            Optional<String> stored = instances.find(id).map(instance -> instance.apiTokenCiphertext);
            if (stored.isEmpty() || cipher.isCurrent(stored.get())) {
                continue;
            }
            String replacement = cipher.encrypt(cipher.decrypt(stored.get(), id.toString()), id.toString());
            // a concurrent re-encryption that wrote first has done this token's work
            if (instances.replaceCiphertext(id, stored.get(), replacement)) {
                changed++;
            }
        }
        Log.infof("re-encrypted %d of %d authentik tokens with key '%s'", changed, ids.size(), cipher.currentKeyId());
        return new InstanceApi.ReEncryption(ids.size(), changed, cipher.currentKeyId());
    }

    private void checkPermissions(UserSelf user) {
        if (user == null || Boolean.TRUE.equals(user.isSuperuser())) {
            return;
        }
        Set<String> granted = new HashSet<>(user.systemPermissions() == null ? List.of() : user.systemPermissions());
        List<String> missing = new ArrayList<>();
        for (String permission : REQUIRED_PERMISSIONS) {
            if (!granted.contains(permission)) {
                missing.add(permission);
            }
        }
        if (!missing.isEmpty()) {
            throw new ProblemException(ProblemType.AUTHENTIK_PERMISSIONS_INSUFFICIENT,
                    "the token's user '" + user.username() + "' lacks " + missing.size() + " permission(s); make it a superuser or grant them globally",
                    List.of(), Map.of("missingPermissions", missing));
        }
    }

    private static <T> T registrationCall(Supplier<T> call) {
        try {
            return call.get();
        } catch (AuthentikCallException e) {
            throw registrationFailure(e);
        }
    }

    private static ProblemException registrationFailure(AuthentikCallException e) {
        if (e.kind() == AuthentikCallException.Kind.REFUSED) {
            return new ProblemException(ProblemType.OUTBOUND_ADDRESS_REFUSED, e.authentikDetail(),
                    List.of(new dev.chatgptsso.provisioner.web.Problem.FieldError("baseUrl", e.authentikDetail())), Map.of());
        }
        if (e.kind() != AuthentikCallException.Kind.HTTP) {
            return new ProblemException(ProblemType.AUTHENTIK_UNREACHABLE, e.getMessage());
        }
        if (e.isStatus(401) || e.isStatus(403)) {
            return new ProblemException(ProblemType.AUTHENTIK_TOKEN_REJECTED,
                    "authentik answered " + e.status() + " to " + e.method() + " " + e.path() + ": the token is unknown, expired, not an API token, or its user is inactive",
                    List.of(), Map.of("authentikStatus", e.status()));
        }
        return new ProblemException(ProblemType.AUTHENTIK_ERROR, e.getMessage() + "; is this the base URL of an authentik instance?",
                List.of(), Map.of("authentikStatus", e.status()));
    }

    private <T> CompletableFuture<T> async(Supplier<T> work) {
        return parallel.start(work);
    }

}
