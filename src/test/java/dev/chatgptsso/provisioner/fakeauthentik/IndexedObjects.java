package dev.chatgptsso.provisioner.fakeauthentik;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Stored objects by pk, with the pks of those whose field has a given text (or, for a list, holds it), for a few fields: what authentik's
 * database indexes do for its lookups by slug, name, client id or provider. Without them every lookup, uniqueness
 * check and filtered list walked all stored objects, so the fake's CPU per request grew with what it held.
 *
 * <p>The index follows {@link #put}, {@link #remove}, {@link #putAll}, {@link #replaceAll} and {@link #clear}; the
 * views are read-only, and an indexed field must not be changed in place (store a changed copy, as
 * {@link FakeState#replace} does). The index matches by text: callers still apply their exact test to what it gives.
 */
final class IndexedObjects<K> extends LinkedHashMap<K, ObjectNode> {
    private final List<String> fields;
    private final Map<String, Map<String, Set<K>>> index = new HashMap<>();

    IndexedObjects(String... fields) {
        this.fields = List.of(fields);
        this.fields.forEach(field -> index.put(field, new HashMap<>()));
    }

    /** The stored objects whose {@code field} (one of the indexed ones) has the text {@code value}, in storing order. */
    List<ObjectNode> having(String field, String value) {
        Map<String, Set<K>> byValue = index.get(field);
        if (byValue == null) {
            throw new IllegalArgumentException(field + " is not indexed");
        }
        return byValue.getOrDefault(value, Set.of()).stream().map(super::get).toList();
    }

    /**
     * What a list filtered on exact query parameters can return: the objects {@link #having} the first of
     * {@code fields} that the request filters on, else all of them.
     */
    Collection<ObjectNode> candidates(ApiRequest request, String... fields) {
        for (String field : fields) {
            String wanted = request.queryParam(field);
            if (wanted != null && index.containsKey(field)) {
                return having(field, wanted);
            }
        }
        return values();
    }

    @Override
    public ObjectNode put(K key, ObjectNode value) {
        ObjectNode previous = super.put(key, value);
        unindex(key, previous);
        index(key, value);
        return previous;
    }

    @Override
    public void putAll(Map<? extends K, ? extends ObjectNode> objects) {
        objects.forEach(this::put);
    }

    @Override
    @SuppressWarnings("unchecked")
    public ObjectNode remove(Object key) {
        ObjectNode previous = super.remove(key);
        unindex((K) key, previous);
        return previous;
    }

    @Override
    public void replaceAll(BiFunction<? super K, ? super ObjectNode, ? extends ObjectNode> change) {
        super.replaceAll(change);
        index.values().forEach(Map::clear);
        super.forEach(this::index);
    }

    @Override
    public void clear() {
        super.clear();
        index.values().forEach(Map::clear);
    }

    @Override
    public Collection<ObjectNode> values() {
        return Collections.unmodifiableCollection(super.values());
    }

    @Override
    public Set<K> keySet() {
        return Collections.unmodifiableSet(super.keySet());
    }

    @Override
    public Set<Map.Entry<K, ObjectNode>> entrySet() {
        return Collections.unmodifiableSet(super.entrySet());
    }

    @Override
    public ObjectNode replace(K key, ObjectNode value) {
        throw new UnsupportedOperationException("use put, or FakeState.replace");
    }

    @Override
    public boolean replace(K key, ObjectNode oldValue, ObjectNode newValue) {
        throw new UnsupportedOperationException("use put, or FakeState.replace");
    }

    @Override
    public boolean remove(Object key, Object value) {
        throw new UnsupportedOperationException("use remove(key)");
    }

    @Override
    public ObjectNode putIfAbsent(K key, ObjectNode value) {
        throw new UnsupportedOperationException("use put");
    }

    @Override
    public ObjectNode computeIfAbsent(K key, Function<? super K, ? extends ObjectNode> mapping) {
        throw new UnsupportedOperationException("use put");
    }

    @Override
    public ObjectNode compute(K key, BiFunction<? super K, ? super ObjectNode, ? extends ObjectNode> remapping) {
        throw new UnsupportedOperationException("use put");
    }

    @Override
    public ObjectNode computeIfPresent(K key, BiFunction<? super K, ? super ObjectNode, ? extends ObjectNode> remapping) {
        throw new UnsupportedOperationException("use put");
    }

    @Override
    public ObjectNode merge(K key, ObjectNode value, BiFunction<? super ObjectNode, ? super ObjectNode, ? extends ObjectNode> remapping) {
        throw new UnsupportedOperationException("use put");
    }

    private void index(K key, ObjectNode object) {
        for (String field : fields) {
            for (String value : texts(object, field)) {
                index.get(field).computeIfAbsent(value, v -> new LinkedHashSet<>()).add(key);
            }
        }
    }

    private void unindex(K key, ObjectNode object) {
        if (object == null) {
            return;
        }
        for (String field : fields) {
            for (String value : texts(object, field)) {
                Set<K> keys = index.get(field).get(value);
                if (keys != null) {
                    keys.remove(key);
                    if (keys.isEmpty()) {
                        index.get(field).remove(value);
                    }
                }
            }
        }
    }

    /** The field's text, or each element's of a list-valued field ({@code backchannel_providers}); none for null. */
    private static List<String> texts(ObjectNode object, String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (value.isArray()) {
            List<String> texts = new java.util.ArrayList<>();
            value.forEach(element -> texts.add(element.asText()));
            return texts;
        }
        return List.of(value.asText());
    }
}
