package dev.chatgptsso.provisioner.fakeauthentik;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Scope mappings and SAML property mappings (REFERENCE 6, 12.4) plus the generic test action (6.4). */
final class PropertyMappingEndpoints {

    private static final String SCOPE = "/api/v3/propertymappings/provider/scope/";
    private static final String SAML = "/api/v3/propertymappings/provider/saml/";

    private final FakeState state;

    PropertyMappingEndpoints(FakeState state) {
        this.state = state;
    }

    void register(Routes routes) {
        for (boolean saml : new boolean[]{false, true}) {
            String base = saml ? SAML : SCOPE;
            routes.add("GET", base, Routes.Access.LIST, request -> list(request, saml));
            routes.add("POST", base, Routes.Access.WRITE, request -> create(request, saml));
            routes.add("GET", base + "{pm_uuid}/", Routes.Access.DETAIL, request -> ApiResponse.ok(view(request, find(request, saml), saml)));
            routes.add("PUT", base + "{pm_uuid}/", Routes.Access.WRITE, request -> update(request, saml, true));
            routes.add("PATCH", base + "{pm_uuid}/", Routes.Access.WRITE, request -> update(request, saml, false));
            routes.add("DELETE", base + "{pm_uuid}/", Routes.Access.WRITE, request -> delete(request, saml));
            routes.add("GET", base + "{pm_uuid}/used_by/", Routes.Access.DETAIL, request -> usedBy(find(request, saml)));
        }
        routes.add("POST", "/api/v3/propertymappings/all/{pm_uuid}/test/", Routes.Access.LIST, this::test);
    }

    private IndexedObjects<String> store(boolean saml) {
        return saml ? state.samlMappings : state.scopeMappings;
    }

    private ObjectNode view(ApiRequest request, ObjectNode stored, boolean saml) {
        Views views = new Views(state, request.baseUrl);
        return saml ? views.samlMapping(stored) : views.scopeMapping(stored);
    }

    private ObjectNode find(ApiRequest request, boolean saml) {
        String pk = request.pathParam(0);
        ObjectNode mapping = FieldReader.isUuid(pk) ? store(saml).get(FieldReader.canonicalUuid(pk)) : null;
        if (mapping == null) {
            throw ApiException.notFound(saml ? "SAML Provider Property Mapping" : "Scope Mapping");
        }
        return mapping;
    }

    private ApiResponse list(ApiRequest request, boolean saml) {
        List<String> managed = request.queryParams("managed");
        List<ObjectNode> all = store(saml).candidates(request, "name").stream().filter(m -> Listing.candidate(request, m, "name"))
                .filter(m -> managed.isEmpty() || managed.contains(Json.text(m, "managed")))
                .map(m -> view(request, m, saml)).toList();
        Listing listing = Listing.of(request, all).anyOf("managed", "managed").isNull("managed__isnull", "managed").exact("name");
        if (saml) {
            listing.exact("saml_name", "friendly_name").search("name", "saml_name", "friendly_name").order("saml_name", "name");
        } else {
            listing.exact("scope_name").search("name", "scope_name", "description").order("scope_name", "name");
        }
        return ApiResponse.ok(listing.page(state.version));
    }

    private ApiResponse create(ApiRequest request, boolean saml) {
        FieldReader reader = read(request.jsonObject(), true, saml, null);
        ObjectNode stored = reader.values;
        stored.put("pk", UUID.randomUUID().toString());
        if (!stored.has("managed")) stored.putNull("managed");
        store(saml).put(stored.get("pk").asText(), stored);
        return ApiResponse.created(view(request, stored, saml));
    }

    private ApiResponse update(ApiRequest request, boolean saml, boolean full) {
        ObjectNode stored = find(request, saml);
        FieldReader reader = read(request.jsonObject(), full, saml, stored.get("pk").asText());
        ObjectNode updated = state.replace(store(saml), stored.get("pk").asText(), reader.values);
        return ApiResponse.ok(view(request, updated, saml));
    }

    private ApiResponse delete(ApiRequest request, boolean saml) {
        ObjectNode stored = find(request, saml);
        state.deletePropertyMapping(stored.get("pk").asText());
        return ApiResponse.noContent();
    }

    /** The ScopeMapping / SAMLPropertyMapping serializers: unique name across all mappings, syntax-checked expression. */
    private FieldReader read(ObjectNode input, boolean enforceRequired, boolean saml, String exceptPk) {
        FieldReader reader = new FieldReader(input, enforceRequired);
        reader.nullableString("managed");
        reader.string("name", true, false, 0);
        if (reader.values.has("name") && state.mappingNameTaken(reader.values.get("name").asText(), exceptPk)) {
            reader.error("name", "Property Mapping with this name already exists.");
        }
        reader.string("expression", true, false, 0);
        if (reader.values.has("expression")) {
            syntaxError(reader.values.get("expression").asText())
                    .ifPresent(message -> reader.error("expression", "Expression Syntax Error: " + message));
        }
        if (saml) {
            reader.string("saml_name", true, false, 0);
            reader.nullableString("friendly_name");
        } else {
            reader.string("scope_name", true, false, 0);
            if (reader.values.has("scope_name") && reader.values.get("scope_name").asText().contains(" ")) {
                reader.error("scope_name", "Value must not contain spaces.");
            }
            reader.string("description", false, true, 0);
        }
        reader.throwIfErrors();
        return reader;
    }

    /**
     * authentik compiles the expression on save. The fake checks what a compiler would catch first: brackets
     * that do not pair up and unterminated string literals.
     */
    static Optional<String> syntaxError(String expression) {
        Deque<Character> open = new ArrayDeque<>();
        Map<Character, Character> pairs = Map.of(')', '(', ']', '[', '}', '{');
        int line = 1;
        for (int i = 0; i < expression.length(); i++) {
            char c = expression.charAt(i);
            if (c == '\n') {
                line++;
            } else if (c == '#') {
                while (i + 1 < expression.length() && expression.charAt(i + 1) != '\n') i++;
            } else if (c == '"' || c == '\'') {
                int end = i + 1;
                while (end < expression.length() && expression.charAt(end) != c && expression.charAt(end) != '\n') {
                    if (expression.charAt(end) == '\\') end++;
                    end++;
                }
                if (end >= expression.length() || expression.charAt(end) != c) {
                    return Optional.of("unterminated string literal (line " + line + ")");
                }
                i = end;
            } else if (c == '(' || c == '[' || c == '{') {
                open.push(c);
            } else if (pairs.containsKey(c)) {
                if (open.isEmpty() || open.pop() != pairs.get(c)) {
                    return Optional.of("unmatched '" + c + "' (line " + line + ")");
                }
            }
        }
        return open.isEmpty() ? Optional.empty() : Optional.of("'" + open.peek() + "' was never closed");
    }

    /** Providers that reference the mapping lose it when it is deleted (many-to-many). */
    private ApiResponse usedBy(ObjectNode mapping) {
        String pk = mapping.get("pk").asText();
        ArrayNode uses = Json.array();
        for (ObjectNode provider : state.allProviders()) {
            if (Json.strings(provider.get("property_mappings")).contains(pk)) {
                uses.add(usedByEntry(state, provider.get("pk").asInt(), provider.get("name").asText(), "cascade_many"));
            }
        }
        return ApiResponse.ok(uses);
    }

    static ObjectNode usedByEntry(FakeState state, int providerPk, String name, String action) {
        String model = state.providerModel(providerPk);
        return Json.object().put("app", model.substring(0, model.indexOf('.')))
                .put("model_name", model.substring(model.indexOf('.') + 1))
                .put("pk", Integer.toString(providerPk)).put("name", name).put("action", action);
    }

    /** REFERENCE 6.4: 200 even when the expression fails; {@code result} is a JSON string. */
    private ApiResponse test(ApiRequest request) {
        String pk = request.pathParam(0);
        Optional<ObjectNode> mapping = FieldReader.isUuid(pk) ? state.propertyMapping(FieldReader.canonicalUuid(pk)) : Optional.empty();
        if (mapping.isEmpty()) {
            throw ApiException.notFound("Property Mapping");
        }
        ObjectNode input = request.jsonObject();
        FieldReader reader = new FieldReader(input, false);
        reader.intReference("user", true, userPk -> state.user(userPk).isPresent());
        reader.throwIfErrors();
        Map<String, Object> user = reader.values.hasNonNull("user")
                ? Expressions.userContext(state.user(reader.values.get("user").asInt()).orElseThrow())
                : Expressions.userContext(request.user);
        Optional<Map<String, Object>> result = state.expressions.evaluate(mapping.get(), user, state.version);
        ObjectNode body = Json.object();
        body.put("successful", result.isPresent());
        body.put("result", result.map(value -> Json.write(Json.MAPPER.valueToTree(
                state.scopeMappings.containsKey(mapping.get().get("pk").asText()) ? value : value.get("value"))))
                .orElse("Exception: the fake authentik cannot evaluate this expression"));
        return ApiResponse.ok(body);
    }

    static Map<String, Object> merge(List<Map<String, Object>> parts) {
        Map<String, Object> merged = new LinkedHashMap<>();
        parts.forEach(merged::putAll);
        return merged;
    }
}
