package dev.chatgptsso.provisioner.chatgpt;

import dev.chatgptsso.provisioner.authentik.AuthentikDtos.PropertyMapping;
import dev.chatgptsso.provisioner.authentik.MappingKind;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A property mapping the service keeps once per authentik instance and owns: found by its
 * deterministic name (names are unique across the whole instance, and ours carry the service's
 * name and the instance id, so they cannot collide with a hand-made one), created on first use, put
 * back to our expression when someone changed it.
 *
 * @param purpose   key under which the instance records the mapping's pk, e.g. {@code oidc-profile}
 * @param attribute {@code scope_name} of a scope mapping, {@code saml_name} of a SAML mapping
 * @param label     {@code description} (scope) or {@code friendly_name} (SAML)
 */
public record OwnedMapping(String purpose, MappingKind kind, String name, String attribute, String expression, String label) {

    /** What a create sends. */
    public Map<String, Object> createFields() {
        Map<String, Object> fields = new LinkedHashMap<>(ownedFields());
        fields.put("name", name);
        fields.put(kind == MappingKind.SCOPE ? "description" : "friendly_name", label);
        return fields;
    }

    /** The fields that decide what the mapping emits: the only ones a repair PATCHes. */
    public Map<String, Object> ownedFields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put(kind == MappingKind.SCOPE ? "scope_name" : "saml_name", attribute);
        fields.put("expression", expression);
        return fields;
    }

    /** Whether the stored mapping still emits what ours does. */
    public boolean matches(PropertyMapping stored) {
        String storedAttribute = kind == MappingKind.SCOPE ? stored.scopeName() : stored.samlName();
        return Objects.equals(expression, stored.expression()) && Objects.equals(attribute, storedAttribute);
    }
}
