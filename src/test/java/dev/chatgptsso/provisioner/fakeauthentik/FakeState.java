package dev.chatgptsso.provisioner.fakeauthentik;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Everything the fake authentik holds. Objects are stored as JSON with their writable fields plus {@code pk};
 * read-only and computed fields are added when rendering ({@link Views}). Not thread-safe by itself: callers
 * synchronise on the instance (the HTTP side holds the lock for a whole request).
 *
 * <p>While a request runs, stored objects are never changed in place: a change puts a changed copy into the map
 * ({@link #replace}, {@link #changeEach}). So a snapshot, taken before every write to undo it if it fails, only
 * copies the maps, not every object in them, and a write costs the same with 10 or 10,000 objects stored.
 */
final class FakeState {

    AuthentikVersion version;
    List<FakeUser> users;
    LinkedHashMap<String, ObjectNode> flows;
    LinkedHashMap<String, KeyPairEntry> keyPairs;
    IndexedObjects<String> scopeMappings;
    IndexedObjects<String> samlMappings;
    IndexedObjects<Integer> oauth2Providers;
    IndexedObjects<Integer> samlProviders;
    IndexedObjects<String> applications;
    int nextProviderPk;
    /** keys of the discovery document forced to other values (simulating a misconfigured proxy), cleared by reset */
    java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> discoveryOverrides = new java.util.LinkedHashMap<>();
    /** what {@code admin/version/} reports when it should differ from the modelled version (e.g. an unsupported one) */
    String reportedVersionOverride;
    /** behaviours of registered expressions; kept across resets */
    final Expressions expressions = new Expressions();

    FakeState(AuthentikVersion version) {
        reset(version);
    }

    /** Counts resets; a request received before the latest reset is dropped instead of acting on the fresh state. */
    volatile int epoch;

    void reset(AuthentikVersion version) {
        epoch++;
        this.version = version;
        users = new ArrayList<>(SeedData.users());
        discoveryOverrides = new java.util.LinkedHashMap<>();
        flows = indexByPk(SeedData.flows());
        keyPairs = new LinkedHashMap<>();
        SeedData.keyPairs().forEach(keyPair -> keyPairs.put(keyPair.pk(), keyPair));
        scopeMappings = mappings(indexByPk(SeedData.scopeMappings(version)));
        samlMappings = mappings(indexByPk(SeedData.samlMappings()));
        oauth2Providers = providers(Map.of());
        samlProviders = providers(Map.of());
        applications = applications(Map.of());
        nextProviderPk = 1;
        reportedVersionOverride = null;
    }

    String reportedVersion() {
        return reportedVersionOverride != null ? reportedVersionOverride : version.text();
    }

    private static IndexedObjects<String> mappings(Map<String, ObjectNode> objects) {
        IndexedObjects<String> store = new IndexedObjects<>("name");
        store.putAll(objects);
        return store;
    }

    private static IndexedObjects<Integer> providers(Map<Integer, ObjectNode> objects) {
        IndexedObjects<Integer> store = new IndexedObjects<>("name", "client_id");
        store.putAll(objects);
        return store;
    }

    private static IndexedObjects<String> applications(Map<String, ObjectNode> objects) {
        IndexedObjects<String> store = new IndexedObjects<>("slug", "provider", "backchannel_providers");
        store.putAll(objects);
        return store;
    }

    private static LinkedHashMap<String, ObjectNode> indexByPk(List<ObjectNode> objects) {
        LinkedHashMap<String, ObjectNode> map = new LinkedHashMap<>();
        objects.forEach(object -> map.put(object.get("pk").asText(), object));
        return map;
    }

    // ---------------------------------------------------------------- snapshots (used for dry runs)

    record Snapshot(AuthentikVersion version, LinkedHashMap<String, ObjectNode> flows,
                    LinkedHashMap<String, KeyPairEntry> keyPairs, LinkedHashMap<String, ObjectNode> scopeMappings,
                    LinkedHashMap<String, ObjectNode> samlMappings, LinkedHashMap<Integer, ObjectNode> oauth2Providers,
                    LinkedHashMap<Integer, ObjectNode> samlProviders, LinkedHashMap<String, ObjectNode> applications,
                    int nextProviderPk) {
    }

    Snapshot snapshot() {
        // plain copies: copying the indexes too would cost more than the lookups they save
        return new Snapshot(version, new LinkedHashMap<>(flows), new LinkedHashMap<>(keyPairs), new LinkedHashMap<>(scopeMappings),
                new LinkedHashMap<>(samlMappings), new LinkedHashMap<>(oauth2Providers), new LinkedHashMap<>(samlProviders),
                new LinkedHashMap<>(applications), nextProviderPk);
    }

    /** Puts the snapshot back; the stores' indexes are built again (a failed write is rare, a snapshot is taken before every one). */
    void restore(Snapshot snapshot) {
        version = snapshot.version();
        flows = new LinkedHashMap<>(snapshot.flows());
        keyPairs = new LinkedHashMap<>(snapshot.keyPairs());
        scopeMappings = mappings(snapshot.scopeMappings());
        samlMappings = mappings(snapshot.samlMappings());
        oauth2Providers = providers(snapshot.oauth2Providers());
        samlProviders = providers(snapshot.samlProviders());
        applications = applications(snapshot.applications());
        nextProviderPk = snapshot.nextProviderPk();
    }

    /** Puts a copy of the stored object with {@code fields} set in its place, and returns the copy. */
    <K> ObjectNode replace(Map<K, ObjectNode> store, K pk, ObjectNode fields) {
        ObjectNode updated = store.get(pk).deepCopy();
        updated.setAll(fields);
        store.put(pk, updated);
        return updated;
    }

    /** Replaces every stored object that {@code affects} by a copy that {@code change} has changed. */
    private static <K> void changeEach(Map<K, ObjectNode> store, java.util.function.Predicate<ObjectNode> affects,
                                       java.util.function.Consumer<ObjectNode> change) {
        store.replaceAll((pk, object) -> {
            if (!affects.test(object)) {
                return object;
            }
            ObjectNode copy = object.deepCopy();
            change.accept(copy);
            return copy;
        });
    }

    // ---------------------------------------------------------------- lookups

    Optional<FakeUser> userByToken(String token) {
        return users.stream().filter(user -> token.equals(user.token())).findFirst();
    }

    Optional<FakeUser> user(int pk) {
        return users.stream().filter(user -> user.pk() == pk).findFirst();
    }

    Optional<ObjectNode> flowBySlug(String slug) {
        return flows.values().stream().filter(flow -> flow.get("slug").asText().equals(slug)).findFirst();
    }

    Optional<KeyPairEntry> keyPairByName(String name) {
        return keyPairs.values().stream().filter(keyPair -> keyPair.name().equals(name)).findFirst();
    }

    boolean propertyMappingExists(String pk) {
        return scopeMappings.containsKey(pk) || samlMappings.containsKey(pk);
    }

    Optional<ObjectNode> propertyMapping(String pk) {
        return Optional.ofNullable(scopeMappings.getOrDefault(pk, samlMappings.get(pk)));
    }

    boolean mappingNameTaken(String name, String exceptPk) {
        return nameTaken(scopeMappings.having("name", name), name, exceptPk) || nameTaken(samlMappings.having("name", name), name, exceptPk);
    }

    boolean providerExists(int pk) {
        return oauth2Providers.containsKey(pk) || samlProviders.containsKey(pk);
    }

    Optional<ObjectNode> provider(int pk) {
        return Optional.ofNullable(oauth2Providers.getOrDefault(pk, samlProviders.get(pk)));
    }

    /** Internal model name of provider {@code pk}, e.g. {@code authentik_providers_oauth2.oauth2provider}. */
    String providerModel(int pk) {
        return oauth2Providers.containsKey(pk) ? Choices.PROVIDER_MODEL_OAUTH2 : Choices.PROVIDER_MODEL_SAML;
    }

    boolean providerNameTaken(String name, Integer exceptPk) {
        return nameTaken(oauth2Providers.having("name", name), name, exceptPk == null ? null : exceptPk.toString())
                || nameTaken(samlProviders.having("name", name), name, exceptPk == null ? null : exceptPk.toString());
    }

    private static boolean nameTaken(Iterable<ObjectNode> objects, String name, String exceptPk) {
        for (ObjectNode object : objects) {
            if (object.get("name").asText().equals(name) && !object.get("pk").asText().equals(exceptPk)) {
                return true;
            }
        }
        return false;
    }

    Optional<ObjectNode> applicationBySlug(String slug) {
        return applications.having("slug", slug).stream().filter(app -> app.get("slug").asText().equals(slug)).findFirst();
    }

    Optional<ObjectNode> applicationForProvider(int providerPk) {
        return applications.having("provider", Integer.toString(providerPk)).stream()
                .filter(app -> app.path("provider").isInt() && app.get("provider").asInt() == providerPk)
                .findFirst();
    }

    Optional<ObjectNode> backchannelApplicationForProvider(int providerPk) {
        return applications.having("backchannel_providers", Integer.toString(providerPk)).stream()
                .filter(app -> Json.strings(app.get("backchannel_providers")).contains(Integer.toString(providerPk)))
                .findFirst();
    }

    int allocateProviderPk() {
        return nextProviderPk++;
    }

    /** Objects created through the API: applications, providers and non-managed property mappings. */
    int createdObjectCount() {
        long mappings = scopeMappings.values().stream().filter(m -> m.path("managed").isNull() || !m.has("managed")).count()
                + samlMappings.values().stream().filter(m -> m.path("managed").isNull() || !m.has("managed")).count();
        return applications.size() + oauth2Providers.size() + samlProviders.size() + (int) mappings;
    }

    // ---------------------------------------------------------------- deletions with authentik's cascades (REFERENCE 14)

    /** Bindings go with the application; the provider stays (then unassigned). */
    void deleteApplication(String pk) {
        applications.remove(pk);
    }

    /** The application stays with {@code provider: null}. */
    void deleteProvider(int pk) {
        oauth2Providers.remove(pk);
        samlProviders.remove(pk);
        Function<JsonNode, Boolean> isProvider = node -> node.asInt() == pk;
        changeEach(applications, app -> (app.path("provider").isInt() && app.get("provider").asInt() == pk)
                || listHas(app, "backchannel_providers", isProvider), app -> {
            if (app.path("provider").isInt() && app.get("provider").asInt() == pk) {
                app.putNull("provider");
            }
            removeFromList(app, "backchannel_providers", isProvider);
        });
        changeEach(oauth2Providers, p -> listHas(p, "jwt_federation_providers", isProvider),
                p -> removeFromList(p, "jwt_federation_providers", isProvider));
    }

    /** Removed from every provider that referenced it; NameID / AuthnContext references are set null. */
    void deletePropertyMapping(String pk) {
        scopeMappings.remove(pk);
        samlMappings.remove(pk);
        Function<JsonNode, Boolean> isMapping = node -> node.asText().equals(pk);
        for (Map<Integer, ObjectNode> providers : List.of(oauth2Providers, samlProviders)) {
            changeEach(providers, provider -> listHas(provider, "property_mappings", isMapping)
                    || pk.equals(Json.text(provider, "name_id_mapping")) || pk.equals(Json.text(provider, "authn_context_class_ref_mapping")),
                    provider -> {
                        removeFromList(provider, "property_mappings", isMapping);
                        setNullIfEquals(provider, "name_id_mapping", pk);
                        setNullIfEquals(provider, "authn_context_class_ref_mapping", pk);
                    });
        }
    }

    /** A provider's authorization flow is deleted with cascade: the providers using it go too. */
    void removeFlow(String pk) {
        flows.remove(pk);
        for (ObjectNode provider : allProviders()) {
            if (pk.equals(Json.text(provider, "authorization_flow"))) {
                deleteProvider(provider.get("pk").asInt());
            }
        }
        for (ObjectNode provider : allProviders()) {
            setNullIfEquals(provider, "invalidation_flow", pk);
            setNullIfEquals(provider, "authentication_flow", pk);
        }
    }

    /** Providers stay, their key references become null. */
    void removeKeyPair(String pk) {
        keyPairs.remove(pk);
        for (ObjectNode provider : allProviders()) {
            for (String field : List.of("signing_key", "encryption_key", "signing_kp", "verification_kp", "encryption_kp")) {
                setNullIfEquals(provider, field, pk);
            }
        }
    }

    List<ObjectNode> allProviders() {
        List<ObjectNode> providers = new ArrayList<>(oauth2Providers.values());
        providers.addAll(samlProviders.values());
        return providers;
    }

    private static void setNullIfEquals(ObjectNode object, String field, String value) {
        if (value.equals(Json.text(object, field))) {
            object.putNull(field);
        }
    }

    private static boolean listHas(ObjectNode object, String field, Function<JsonNode, Boolean> matches) {
        JsonNode list = object.get(field);
        if (list instanceof ArrayNode array) {
            for (JsonNode node : array) {
                if (matches.apply(node)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void removeFromList(ObjectNode object, String field, Function<JsonNode, Boolean> matches) {
        JsonNode list = object.get(field);
        if (list instanceof ArrayNode array) {
            for (int i = array.size() - 1; i >= 0; i--) {
                if (matches.apply(array.get(i))) {
                    array.remove(i);
                }
            }
        }
    }

    // ---------------------------------------------------------------- upgrades

    /** Applies the data migrations authentik runs when upgrading across the 2026.5 line (CHANGES rows 27, 29). */
    void changeVersion(AuthentikVersion newVersion) {
        boolean crossingUp = version.before(2026, 5) && newVersion.atLeast(2026, 5);
        boolean crossingDown = version.atLeast(2026, 5) && newVersion.before(2026, 5);
        if (crossingUp) {
            for (ObjectNode provider : oauth2Providers.values()) {
                if (!provider.has("grant_types")) {
                    // migration 0032: existing providers get every grant type
                    provider.set("grant_types", Json.arrayOf(Choices.grantTypes(newVersion)));
                }
            }
            for (ObjectNode provider : samlProviders.values()) {
                // migration 0022 renames issuer to issuer_override, keeping the stored value
                JsonNode issuer = provider.remove("issuer");
                provider.put("issuer_override", issuer == null ? "authentik" : issuer.asText());
            }
        }
        if (crossingDown) {
            for (ObjectNode provider : samlProviders.values()) {
                JsonNode override = provider.remove("issuer_override");
                provider.put("issuer", override == null || override.asText().isEmpty() ? "authentik" : override.asText());
            }
        }
        version = newVersion;
    }
}
