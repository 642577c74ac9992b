package dev.chatgptsso.provisioner.instance;

import dev.chatgptsso.provisioner.authentik.ApiGeneration;
import dev.chatgptsso.provisioner.authentik.AuthentikCallException;
import dev.chatgptsso.provisioner.authentik.AuthentikClient;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.CertificateKeyPair;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.Flow;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.PropertyMapping;
import dev.chatgptsso.provisioner.authentik.AuthentikVersion;
import dev.chatgptsso.provisioner.authentik.MappingKind;
import dev.chatgptsso.provisioner.chatgpt.OwnedMapping;
import dev.chatgptsso.provisioner.web.Problem;
import dev.chatgptsso.provisioner.web.ProblemException;
import dev.chatgptsso.provisioner.web.ProblemType;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CaffeineCache;
import io.quarkus.cache.CacheName;
import io.quarkus.logging.Log;
import dev.chatgptsso.provisioner.Database;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * What this service knows about each authentik instance, cached with a TTL
 * ({@code quarkus.cache.caffeine."authentik-catalog".expire-after-write}): its version, the flows,
 * signing keys and managed mappings the recipes use, and the pks of the mappings the service owns
 * there. This is what lets a warm create go straight to the transactional write. Entries are
 * dropped when authentik answers that a cached pk is gone ({@link #invalidate}); a failed lookup
 * is never cached.
 */
@ApplicationScoped
public class InstanceCatalog {
    public static final String CACHE = "authentik-catalog";

    private record Key(UUID instanceId, String kind, String argument) {}

    private final Cache cache;
    private final InstanceRepository instances;

    InstanceCatalog(@CacheName(CACHE) Cache cache, InstanceRepository instances) {
        this.cache = cache;
        this.instances = instances;
    }

    @SuppressWarnings("unchecked")
    private <T> T cached(UUID instanceId, String kind, String argument, Supplier<T> loader) {
        return (T) cache.get(new Key(instanceId, kind, argument), key -> loader.get()).await().indefinitely();
    }

    /** Forgets everything about the instance, e.g. after authentik answered that a cached pk does not exist. */
    public void invalidate(UUID instanceId) {
        cache.invalidateIf(key -> key instanceof Key k && k.instanceId().equals(instanceId)).await().indefinitely();
    }

    /** The API generation to speak; the version is read again when the cache entry expires and recorded when it changed. */
    public ApiGeneration generation(AuthentikInstance instance, AuthentikClient client) {
        return this.<AuthentikVersion>cached(instance.id, "version", "", () -> detectVersion(instance, client)).generation();
    }

    /** Caches a version just read (at registration). */
    public void rememberVersion(UUID instanceId, AuthentikVersion version) {
        cache.get(new Key(instanceId, "version", ""), key -> version).await().indefinitely();
    }

    /** Reads {@code admin/version/}, refuses unsupported versions and records a change (e.g. an upgrade to 2026.5). */
    public AuthentikVersion detectVersion(AuthentikInstance instance, AuthentikClient client) {
        AuthentikVersion version = readVersion(client);
        if (!version.raw().equals(instance.version)) {
            OffsetDateTime now = Database.now();
            instances.recordVersion(instance.id, version.raw(), now);
            Log.infof("instance %s: authentik version changed from %s to %s", instance.id, instance.version, version.raw());
            instance.version = version.raw();
            instance.checkedAt = now;
        }
        return version;
    }

    static AuthentikVersion readVersion(AuthentikClient client) {
        String raw = client.version();
        AuthentikVersion version = AuthentikVersion.parse(raw).orElseThrow(() -> new ProblemException(
                ProblemType.AUTHENTIK_VERSION_UNSUPPORTED, "authentik reported a version this service cannot read"));
        if (!version.isSupported()) {
            throw new ProblemException(ProblemType.AUTHENTIK_VERSION_UNSUPPORTED,
                    "authentik " + version + " is older than " + AuthentikVersion.OLDEST_SUPPORTED + ", the oldest version this service supports",
                    List.of(), Map.of("version", version.raw(), "oldestSupported", AuthentikVersion.OLDEST_SUPPORTED.raw()));
        }
        return version;
    }

    /** A flow by slug, checked to have the designation the recipe needs (authentik does not check it). */
    public Flow flow(AuthentikInstance instance, AuthentikClient client, String slug, String designation, String requestField) {
        Flow flow = cached(instance.id, "flow", slug, () -> client.flow(slug)
                .orElseThrow(() -> prerequisite(designation + " flow '" + slug + "' does not exist in authentik", requestField)));
        if (!designation.equals(flow.designation())) {
            throw prerequisite("flow '" + slug + "' has designation " + flow.designation() + ", not " + designation, requestField);
        }
        return flow;
    }

    /** The signing key named in the request, or the configured default by name; it must hold a private key of an accepted type. */
    public CertificateKeyPair signingKey(AuthentikInstance instance, AuthentikClient client, UUID requested, String defaultName,
            List<String> acceptedTypes, String purpose) {
        CertificateKeyPair key;
        if (requested != null) {
            key = cached(instance.id, "key", requested.toString(), () -> client.certificateKeyPair(requested.toString())
                    .orElseThrow(() -> prerequisite("signing key " + requested + " does not exist in authentik", "signingKeyId")));
        } else {
            key = cached(instance.id, "key-named", defaultName, () -> client.certificateKeyPairsWithKeyNamed(defaultName).stream()
                    .filter(k -> defaultName.equals(k.name())).findFirst()
                    .orElseThrow(() -> prerequisite("no certificate-key pair named '" + defaultName
                            + "' with a private key exists; name one with signingKeyId", "signingKeyId")));
        }
        String field = requested == null ? null : "signingKeyId";
        if (!Boolean.TRUE.equals(key.privateKeyAvailable())) {
            throw prerequisite("signing key '" + key.name() + "' has no private key", field);
        }
        String type = key.effectiveKeyType();
        if (type != null && !acceptedTypes.contains(type.toLowerCase())) {
            throw prerequisite("signing key '" + key.name() + "' is " + type + "; " + purpose + " needs " + String.join(" or ", acceptedTypes)
                    + " keys", field);
        }
        return key;
    }

    /** pks of authentik's managed mappings, by managed identifier, in the order asked for; all must exist. */
    public List<String> managedMappings(AuthentikInstance instance, AuthentikClient client, MappingKind kind, List<String> managedIds) {
        Map<String, String> pks = cached(instance.id, "managed-" + kind, String.join(",", managedIds), () -> {
            List<PropertyMapping> found = client.managedMappings(kind, managedIds);
            Map<String, String> byId = new LinkedHashMap<>();
            for (String id : managedIds) {
                byId.put(id, found.stream().filter(m -> id.equals(m.managed())).findFirst()
                        .orElseThrow(() -> prerequisite("authentik's managed mapping " + id + " is missing", null)).pk());
            }
            return byId;
        });
        return managedIds.stream().map(pks::get).toList();
    }

    /**
     * The pk of a mapping the service owns on the instance: found by its deterministic name, else
     * created; put back to our expression when someone changed it; recorded with the instance.
     */
    public String ownedMapping(AuthentikInstance instance, AuthentikClient client, OwnedMapping spec) {
        return cached(instance.id, "owned", spec.purpose(), () -> ensureOwned(instance, client, spec));
    }

    /**
     * Looks an owned mapping up ahead of its first use (at registration) and keeps what was found,
     * or that nothing was, for that use: then it needs at most its POST. Never writes.
     */
    public void lookUpOwned(AuthentikInstance instance, AuthentikClient client, OwnedMapping spec) {
        cached(instance.id, "owned-lookup", spec.purpose(), () -> findOwned(client, spec));
    }

    /** What {@link #lookUpOwned} found, once; null when it was not looked up earlier (or that lookup failed). */
    @SuppressWarnings("unchecked")
    private Optional<PropertyMapping> takeLookedUp(UUID instanceId, OwnedMapping spec) {
        Key key = new Key(instanceId, "owned-lookup", spec.purpose());
        var pending = cache.as(CaffeineCache.class).getIfPresent(key);
        if (pending == null) {
            return null;
        }
        cache.invalidate(key).await().indefinitely();
        try {
            return (Optional<PropertyMapping>) pending.join();
        } catch (RuntimeException failedLookup) {
            return null;
        }
    }

    private String ensureOwned(AuthentikInstance instance, AuthentikClient client, OwnedMapping spec) {
        Optional<PropertyMapping> lookedUp = takeLookedUp(instance.id, spec);
        Optional<PropertyMapping> mapping = lookedUp != null ? lookedUp : findOwned(client, spec);
        if (mapping.isEmpty()) {
            try {
                mapping = Optional.of(client.createMapping(spec.kind(), spec.createFields()));
                Log.infof("instance %s: created the owned %s mapping", instance.id, spec.purpose());
            } catch (AuthentikCallException e) {
                // a concurrent first create (another request or replica) made it a moment ago
                if (!e.isStatus(400) || e.fieldErrors().stream().noneMatch(f -> f.field().equals("name"))) {
                    throw e;
                }
                mapping = Optional.of(findOwned(client, spec).orElseThrow(() -> e));
            }
        }
        PropertyMapping found = mapping.get();
        if (!spec.matches(found)) {
            found = client.patchMapping(spec.kind(), found.pk(), spec.ownedFields());
            if (!spec.matches(found)) {
                throw new ProblemException(ProblemType.AUTHENTIK_STATE_MISMATCH,
                        "the " + spec.purpose() + " mapping does not keep the expression this service writes");
            }
            Log.infof("instance %s: put the owned %s mapping back to the service's expression", instance.id, spec.purpose());
        }
        if (!found.pk().equals(instance.ownedMappings.get(spec.purpose()))) {
            instances.recordOwnedMapping(instance.id, spec.purpose(), found.pk());
            instance.ownedMappings.put(spec.purpose(), found.pk());
        }
        return found.pk();
    }

    private static Optional<PropertyMapping> findOwned(AuthentikClient client, OwnedMapping spec) {
        return client.mappingsNamed(spec.kind(), spec.name()).stream().filter(m -> spec.name().equals(m.name())).findFirst();
    }

    /** Forgets a deleted owned mapping, in the cache and on the instance record. */
    public void forgetOwned(AuthentikInstance instance, String purpose) {
        cache.invalidate(new Key(instance.id, "owned", purpose)).await().indefinitely();
        instance.ownedMappings.remove(purpose);
        instances.forgetOwnedMapping(instance.id, purpose);
    }

    public static ProblemException prerequisite(String detail, String field) {
        return new ProblemException(ProblemType.AUTHENTIK_PREREQUISITE_MISSING, detail,
                field == null ? List.of() : List.of(new Problem.FieldError(field, detail)), Map.of());
    }
}
