package dev.chatgptsso.provisioner.instance;

import dev.chatgptsso.provisioner.ProvisionerConfig;
import dev.chatgptsso.provisioner.authentik.ApiGeneration;
import dev.chatgptsso.provisioner.authentik.AuthentikCallException;
import dev.chatgptsso.provisioner.authentik.AuthentikClient;
import dev.chatgptsso.provisioner.authentik.AuthentikClients;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.UserSelf;
import dev.chatgptsso.provisioner.authentik.AuthentikVersion;
import dev.chatgptsso.provisioner.tenant.TenantService;
import dev.chatgptsso.provisioner.web.ProblemException;
import dev.chatgptsso.provisioner.web.ProblemType;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Registers authentik instances (after checking reachability, token, version and permissions)
 * and hands out clients for them. Never holds a database transaction across an authentik call.
 */
@ApplicationScoped
public class InstanceService {
    /** What the ChatGPT OIDC recipe needs the token's user to be allowed (REFERENCE.md 1.2). */
    static final List<String> REQUIRED_PERMISSIONS = List.of(
            "authentik_flows.view_flow",
            "authentik_crypto.view_certificatekeypair",
            "authentik_providers_oauth2.view_scopemapping",
            "authentik_providers_oauth2.add_scopemapping",
            "authentik_providers_oauth2.change_scopemapping",
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
    private final ProvisionerConfig config;

    InstanceService(InstanceRepository instances, TenantService tenants, TokenCipher cipher, InstanceUrlPolicy urlPolicy,
            AuthentikClients clients, ProvisionerConfig config) {
        this.instances = instances;
        this.tenants = tenants;
        this.cipher = cipher;
        this.urlPolicy = urlPolicy;
        this.clients = clients;
        this.config = config;
    }

    public AuthentikInstance register(String tenantId, InstanceApi.RegisterInstance request) {
        tenants.require(tenantId);
        String name = request.name().strip();
        if (QuarkusTransaction.joiningExisting().call(() -> instances.nameTaken(tenantId, name))) {
            throw new ProblemException(ProblemType.INSTANCE_EXISTS, "tenant '" + tenantId + "' already has an instance named '" + name + "'");
        }
        String baseUrl = urlPolicy.check(request.baseUrl());
        boolean verifyTls = request.verifyTls() == null || request.verifyTls();
        AuthentikVersion version;
        try (AuthentikClients.ProbeClient probe = clients.probe(baseUrl, request.apiToken(), verifyTls)) {
            version = checkVersion(probe.client());
            checkPermissions(probe.client());
        }

        AuthentikInstance instance = new AuthentikInstance();
        instance.id = UUID.randomUUID();
        instance.tenantId = tenantId;
        instance.name = name;
        instance.baseUrl = baseUrl;
        instance.apiTokenCiphertext = cipher.encrypt(request.apiToken(), instance.id.toString());
        instance.verifyTls = verifyTls;
        instance.version = version.raw();
        instance.status = "ready";
        instance.checkedAt = now();
        instance.createdAt = instance.checkedAt;
        try {
            QuarkusTransaction.requiringNew().run(() -> instances.persistAndFlush(instance));
        } catch (RuntimeException e) {
            if (QuarkusTransaction.joiningExisting().call(() -> instances.nameTaken(tenantId, name))) {
                throw new ProblemException(ProblemType.INSTANCE_EXISTS, "tenant '" + tenantId + "' already has an instance named '" + name + "'");
            }
            throw e;
        }
        Log.infof("registered authentik %s for tenant %s as instance %s", version, tenantId, instance.id);
        return instance;
    }

    public List<AuthentikInstance> list(String tenantId) {
        tenants.require(tenantId);
        return QuarkusTransaction.joiningExisting().call(() -> instances.ofTenant(tenantId));
    }

    public AuthentikInstance require(String tenantId, UUID instanceId) {
        return QuarkusTransaction.joiningExisting().call(() -> instances.ofTenant(tenantId, instanceId))
                .orElseThrow(() -> ProblemException.notFound("instance '" + instanceId + "'"));
    }

    public AuthentikClient client(AuthentikInstance instance) {
        String token = cipher.decrypt(instance.apiTokenCiphertext, instance.id.toString());
        return clients.forInstance(instance.id, instance.baseUrl, token, instance.verifyTls);
    }

    /**
     * The API generation to speak with the instance. The version detected at registration is
     * trusted for {@code provisioner.authentik.version-recheck-interval}; after that it is read again
     * (an upgrade from 2026.2 to 2026.5 changes the payloads).
     */
    public ApiGeneration generation(AuthentikInstance instance, AuthentikClient client) {
        if (instance.checkedAt.plus(config.authentik().versionRecheckInterval()).isAfter(now())) {
            return parse(instance.version).generation();
        }
        AuthentikVersion version = checkVersion(client);
        instance.version = version.raw();
        instance.checkedAt = now();
        QuarkusTransaction.requiringNew().run(() -> instances.getEntityManager()
                .createQuery("update AuthentikInstance set version = ?1, checkedAt = ?2 where id = ?3")
                .setParameter(1, version.raw()).setParameter(2, instance.checkedAt).setParameter(3, instance.id)
                .executeUpdate());
        return version.generation();
    }

    /** Records the per-instance profile mapping this service created (or re-found by its name). */
    public void recordProfileMapping(UUID instanceId, UUID mappingPk, String mappingName) {
        QuarkusTransaction.requiringNew().run(() -> instances.getEntityManager()
                .createQuery("update AuthentikInstance set profileMappingPk = ?1, profileMappingName = ?2 where id = ?3")
                .setParameter(1, mappingPk).setParameter(2, mappingName).setParameter(3, instanceId)
                .executeUpdate());
    }

    private AuthentikVersion checkVersion(AuthentikClient client) {
        String raw;
        try {
            raw = client.version();
        } catch (AuthentikCallException e) {
            throw registrationFailure(e);
        }
        AuthentikVersion version = AuthentikVersion.parse(raw).orElseThrow(() -> new ProblemException(
                ProblemType.AUTHENTIK_VERSION_UNSUPPORTED, "authentik reported a version this service cannot read"));
        if (!version.isSupported()) {
            throw new ProblemException(ProblemType.AUTHENTIK_VERSION_UNSUPPORTED,
                    "authentik " + version + " is older than " + AuthentikVersion.OLDEST_SUPPORTED + ", the oldest version this service supports",
                    List.of(), Map.of("version", version.raw(), "oldestSupported", AuthentikVersion.OLDEST_SUPPORTED.raw()));
        }
        return version;
    }

    private void checkPermissions(AuthentikClient client) {
        UserSelf user;
        try {
            user = client.currentUser();
        } catch (AuthentikCallException e) {
            throw registrationFailure(e);
        }
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

    private static ProblemException registrationFailure(AuthentikCallException e) {
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

    private static AuthentikVersion parse(String raw) {
        return AuthentikVersion.parse(raw).orElseThrow(() -> new IllegalStateException("stored version unreadable"));
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
