package dev.chatgptsso.provisioner.instance;

import dev.chatgptsso.provisioner.authentik.ApiGeneration;
import dev.chatgptsso.provisioner.authentik.AuthentikCallException;
import dev.chatgptsso.provisioner.authentik.AuthentikClient;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.CertificateKeyPair;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.Flow;
import dev.chatgptsso.provisioner.authentik.AuthentikDtos.PropertyMapping;
import dev.chatgptsso.provisioner.authentik.AuthentikVersion;
import dev.chatgptsso.provisioner.authentik.MappingKind;
import dev.chatgptsso.provisioner.authentik.ParallelCalls;
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
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
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
    private final ParallelCalls parallel;

    InstanceCatalog(@CacheName(CACHE) Cache cache, InstanceRepository instances, ParallelCalls parallel) {
        this.cache = cache;
        this.instances = instances;
        this.parallel = parallel;
    }

    @SuppressWarnings("unchecked")
    private <T> T cached(Key key, Supplier<T> loader) {
        return (T) cache.get(key, k -> loader.get()).await().indefinitely();
    }

    private static Key versionKey(UUID instanceId) {
        return new Key(instanceId, "version", "");
    }

    private static Key flowKey(UUID instanceId, String slug) {
        return new Key(instanceId, "flow", slug);
    }

    private static Key signingKeyKey(UUID instanceId, UUID requested, String defaultName) {
        return requested != null ? new Key(instanceId, "key", requested.toString()) : new Key(instanceId, "key-named", defaultName);
    }

    private static Key managedKey(UUID instanceId, MappingKind kind, List<String> managedIds) {
        return new Key(instanceId, "managed-" + kind, String.join(",", managedIds));
    }

    private static Key ownedKey(UUID instanceId, String purpose) {
        return new Key(instanceId, "owned", purpose);
    }

    /**
     * One of the catalog's lookups: the cache entry, how to load it from authentik on a miss, and the checks and
     * shaping applied to the entry on every use (a cached answer is checked as a fresh one is).
     */
    private record Lookup<E, T>(Key key, Supplier<E> load, Function<E, T> check) {}

    @SuppressWarnings("unchecked")
    private <E, T> T get(Lookup<E, T> lookup) {
        return lookup.check().apply((E) cached(lookup.key(), lookup.load()));
    }

    /** The catalog's lookups for one instance, started side by side (see {@link Lookups}). */
    public Lookups lookups(AuthentikInstance instance, AuthentikClient client) {
        return new Lookups(instance, client);
    }

    /**
     * Lookups started side by side, each a future: one whose answer is cached is checked at once on the calling thread
     * (no worker hand-off for an answer at hand: a warm create's six lookups), one that must ask authentik runs on a
     * worker thread, so that those take one round trip together.
     */
    public final class Lookups {
        private final AuthentikInstance instance;
        private final AuthentikClient client;

        private Lookups(AuthentikInstance instance, AuthentikClient client) {
            this.instance = instance;
            this.client = client;
        }

        public CompletableFuture<ApiGeneration> generation() {
            return start(generationLookup(instance, client));
        }

        public CompletableFuture<Flow> flow(String slug, String designation, String requestField) {
            return start(flowLookup(instance, client, slug, designation, requestField));
        }

        public CompletableFuture<CertificateKeyPair> signingKey(UUID requested, String defaultName, List<String> acceptedTypes,
                String purpose) {
            return start(signingKeyLookup(instance, client, requested, defaultName, acceptedTypes, purpose));
        }

        public CompletableFuture<List<String>> managedMappings(MappingKind kind, List<String> managedIds) {
            return start(managedMappingsLookup(instance, client, kind, managedIds));
        }

        public CompletableFuture<String> ownedMapping(OwnedMapping spec) {
            return start(ownedMappingLookup(instance, client, spec));
        }

        /** The entry is read once: one that expires or is invalidated meanwhile is not loaded on this thread. */
        @SuppressWarnings("unchecked")
        private <E, T> CompletableFuture<T> start(Lookup<E, T> lookup) {
            CompletableFuture<Object> entry = cache.as(CaffeineCache.class).getIfPresent(lookup.key());
            Object cachedEntry = entry != null && entry.isDone() && !entry.isCompletedExceptionally() ? entry.join() : null;
            if (cachedEntry != null) {
                return ParallelCalls.onThisThread(() -> lookup.check().apply((E) cachedEntry));
            }
            return parallel.start(() -> get(lookup));
        }
    }

    /** Forgets everything about the instance, e.g. after authentik answered that a cached pk does not exist. */
    public void invalidate(UUID instanceId) {
        cache.invalidateIf(key -> key instanceof Key k && k.instanceId().equals(instanceId)).await().indefinitely();
    }

    /** The API generation to speak; the version is read again when the cache entry expires and recorded when it changed. */
    public ApiGeneration generation(AuthentikInstance instance, AuthentikClient client) {
        return get(generationLookup(instance, client));
    }

    private Lookup<AuthentikVersion, ApiGeneration> generationLookup(AuthentikInstance instance, AuthentikClient client) {
        return new Lookup<>(versionKey(instance.id), () -> detectVersion(instance, client), AuthentikVersion::generation);
    }

    /** Caches a version just read (at registration). */
    public void rememberVersion(UUID instanceId, AuthentikVersion version) {
        cache.get(versionKey(instanceId), key -> version).await().indefinitely();
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
        return get(flowLookup(instance, client, slug, designation, requestField));
    }

    private Lookup<Flow, Flow> flowLookup(AuthentikInstance instance, AuthentikClient client, String slug, String designation,
            String requestField) {
        return new Lookup<>(flowKey(instance.id, slug), () -> client.flow(slug)
                .orElseThrow(() -> prerequisite(designation + " flow '" + slug + "' does not exist in authentik", requestField)), flow -> {
                    if (!designation.equals(flow.designation())) {
                        throw prerequisite("flow '" + slug + "' has designation " + flow.designation() + ", not " + designation, requestField);
                    }
                    return flow;
                });
    }

    /** The signing key named in the request, or the configured default by name; it must hold a private key of an accepted type. */
    public CertificateKeyPair signingKey(AuthentikInstance instance, AuthentikClient client, UUID requested, String defaultName,
            List<String> acceptedTypes, String purpose) {
        return get(signingKeyLookup(instance, client, requested, defaultName, acceptedTypes, purpose));
    }

    private Lookup<CertificateKeyPair, CertificateKeyPair> signingKeyLookup(AuthentikInstance instance, AuthentikClient client,
            UUID requested, String defaultName, List<String> acceptedTypes, String purpose) {
        Supplier<CertificateKeyPair> load = requested != null
                ? () -> client.certificateKeyPair(requested.toString())
                        .orElseThrow(() -> prerequisite("signing key " + requested + " does not exist in authentik", "signingKeyId"))
                : () -> client.certificateKeyPairsWithKeyNamed(defaultName).stream().filter(k -> defaultName.equals(k.name())).findFirst()
                        .orElseThrow(() -> prerequisite("no certificate-key pair named '" + defaultName
                                + "' with a private key exists; name one with signingKeyId", "signingKeyId"));
        String field = requested == null ? null : "signingKeyId";
        return new Lookup<>(signingKeyKey(instance.id, requested, defaultName), load, key -> {
            if (!Boolean.TRUE.equals(key.privateKeyAvailable())) {
                throw prerequisite("signing key '" + key.name() + "' has no private key", field);
            }
            String type = key.effectiveKeyType();
            if (type != null && !acceptedTypes.contains(type.toLowerCase())) {
                throw prerequisite("signing key '" + key.name() + "' is " + type + "; " + purpose + " needs "
                        + String.join(" or ", acceptedTypes) + " keys", field);
            }
            return key;
        });
    }

    /** pks of authentik's managed mappings, by managed identifier, in the order asked for; all must exist. */
    public List<String> managedMappings(AuthentikInstance instance, AuthentikClient client, MappingKind kind, List<String> managedIds) {
        return get(managedMappingsLookup(instance, client, kind, managedIds));
    }

    private Lookup<Map<String, String>, List<String>> managedMappingsLookup(AuthentikInstance instance, AuthentikClient client,
            MappingKind kind, List<String> managedIds) {
        return new Lookup<>(managedKey(instance.id, kind, managedIds), () -> {
            List<PropertyMapping> found = client.managedMappings(kind, managedIds);
            Map<String, String> byId = new LinkedHashMap<>();
            for (String id : managedIds) {
                byId.put(id, found.stream().filter(m -> id.equals(m.managed())).findFirst()
                        .orElseThrow(() -> prerequisite("authentik's managed mapping " + id + " is missing", null)).pk());
            }
            return byId;
        }, pks -> managedIds.stream().map(pks::get).toList());
    }

    /**
     * The pk of a mapping the service owns on the instance: found by its deterministic name, else
     * created; put back to our expression when someone changed it; recorded with the instance.
     */
    public String ownedMapping(AuthentikInstance instance, AuthentikClient client, OwnedMapping spec) {
        return get(ownedMappingLookup(instance, client, spec));
    }

    private Lookup<String, String> ownedMappingLookup(AuthentikInstance instance, AuthentikClient client, OwnedMapping spec) {
        return new Lookup<>(ownedKey(instance.id, spec.purpose()), () -> ensureOwned(instance, client, spec), Function.identity());
    }

    /**
     * Notes, at registration, that an owned mapping whose name carries the new instance's id does not exist yet:
     * nothing in authentik can have used an id made a moment ago, so its first use goes straight to its POST
     * without looking for it (a concurrent first create that made it meanwhile is handled there as before).
     */
    public void rememberNotMadeYet(UUID instanceId, OwnedMapping spec) {
        cache.get(new Key(instanceId, "owned-lookup", spec.purpose()), key -> Optional.<PropertyMapping>empty()).await().indefinitely();
    }

    /** What {@link #rememberNotMadeYet} noted, once; null when nothing was noted (or it has expired). */
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
        cache.invalidate(ownedKey(instance.id, purpose)).await().indefinitely();
        instance.ownedMappings.remove(purpose);
        instances.forgetOwnedMapping(instance.id, purpose);
    }

    public static ProblemException prerequisite(String detail, String field) {
        return new ProblemException(ProblemType.AUTHENTIK_PREREQUISITE_MISSING, detail,
                field == null ? List.of() : List.of(new Problem.FieldError(field, detail)), Map.of());
    }
}
