package dev.chatgptsso.provisioner.fakeauthentik;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/**
 * A failed write must leave the fake as it was. Snapshots copy the maps only, which is enough because stored
 * objects are never changed in place during a request: these tests change objects through every path that
 * changes existing objects (updates and the delete cascades) and check that {@code restore} undoes each.
 */
class FakeStateTest {

    private final FakeState state = new FakeState(AuthentikVersion.parse("2026.5.6"));

    private ObjectNode provider(int pk, String... mappings) {
        ObjectNode provider = Json.object().put("pk", pk).put("name", "p" + pk).put("client_id", "c" + pk);
        provider.set("property_mappings", Json.arrayOf(java.util.List.of(mappings)));
        state.oauth2Providers.put(pk, provider);
        return provider;
    }

    private ObjectNode application(String pk, int provider) {
        ObjectNode app = Json.object().put("pk", pk).put("slug", "app-" + pk).put("name", "App " + pk).put("provider", provider);
        app.set("backchannel_providers", Json.array().add(provider));
        state.applications.put(pk, app);
        return app;
    }

    @Test
    void anUpdateIsUndoneAndTheObjectSeenBeforeItIsUnchanged() {
        ObjectNode before = provider(1);
        FakeState.Snapshot snapshot = state.snapshot();

        ObjectNode updated = state.replace(state.oauth2Providers, 1, Json.object().put("name", "renamed"));

        assertEquals("renamed", state.oauth2Providers.get(1).get("name").asText());
        assertNotSame(before, updated);
        assertEquals("p1", before.get("name").asText(), "the stored object itself is not changed");
        state.restore(snapshot);
        assertEquals("p1", state.oauth2Providers.get(1).get("name").asText());
    }

    @Test
    void deletingAProviderAndItsCascadeIsUndone() {
        provider(1);
        provider(2);
        ObjectNode app = application("a", 1);
        ObjectNode other = application("b", 2);
        FakeState.Snapshot snapshot = state.snapshot();

        state.deleteProvider(1);

        assertTrue(state.applications.get("a").get("provider").isNull(), "authentik keeps the application, unassigned");
        assertEquals(0, state.applications.get("a").get("backchannel_providers").size());
        assertEquals(1, app.get("provider").asInt(), "the cascade changed a copy");
        assertTrue(state.applications.get("b") == other, "an application the cascade does not touch stays the same object");
        state.restore(snapshot);
        assertEquals(1, state.applications.get("a").get("provider").asInt());
        assertEquals(1, state.applications.get("a").get("backchannel_providers").size());
        assertTrue(state.oauth2Providers.containsKey(1));
    }

    @Test
    void deletingAMappingAndItsCascadeIsUndone() {
        String mapping = state.scopeMappings.keySet().iterator().next();
        provider(1, mapping);
        FakeState.Snapshot snapshot = state.snapshot();

        state.deletePropertyMapping(mapping);

        assertEquals(0, state.oauth2Providers.get(1).get("property_mappings").size());
        state.restore(snapshot);
        assertEquals(mapping, state.oauth2Providers.get(1).get("property_mappings").get(0).asText());
        assertTrue(state.scopeMappings.containsKey(mapping));
    }

    /** The lookups by slug, provider and name go through indexes; they must follow every change, cascade and undo. */
    @Test
    void lookupsByFieldFollowUpdatesDeletionsCascadesAndUndo() {
        provider(1);
        provider(2);
        application("a", 1);
        FakeState.Snapshot snapshot = state.snapshot();

        state.replace(state.applications, "a", Json.object().put("slug", "renamed"));
        assertTrue(state.applicationBySlug("app-a").isEmpty(), "the old slug is free");
        assertEquals("a", state.applicationBySlug("renamed").orElseThrow().get("pk").asText());
        state.replace(state.oauth2Providers, 2, Json.object().put("name", "p2-renamed"));
        assertTrue(state.providerNameTaken("p2-renamed", null));
        assertTrue(!state.providerNameTaken("p2", null), "the old name is free");
        assertTrue(!state.providerNameTaken("p2-renamed", 2), "its own name does not count against it");

        assertEquals("a", state.backchannelApplicationForProvider(1).orElseThrow().get("pk").asText());
        state.deleteProvider(1);
        assertTrue(state.applicationForProvider(1).isEmpty(), "the cascade unassigned the application");
        assertTrue(state.backchannelApplicationForProvider(1).isEmpty(), "and took the provider off its backchannel list");
        state.restore(snapshot);
        assertEquals("a", state.applicationForProvider(1).orElseThrow().get("pk").asText());
        assertEquals("a", state.backchannelApplicationForProvider(1).orElseThrow().get("pk").asText());
        assertEquals("a", state.applicationBySlug("app-a").orElseThrow().get("pk").asText());
        assertTrue(state.applicationBySlug("renamed").isEmpty());
        assertTrue(state.providerNameTaken("p2", null) && !state.providerNameTaken("p2-renamed", null));

        String mapping = state.scopeMappings.keySet().iterator().next();
        String name = state.scopeMappings.get(mapping).get("name").asText();
        assertTrue(state.mappingNameTaken(name, null));
        state.deletePropertyMapping(mapping);
        assertTrue(!state.mappingNameTaken(name, null), "a deleted mapping's name is free");
    }
}
