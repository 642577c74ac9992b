package dev.chatgptsso.provisioner.authentik;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.chatgptsso.provisioner.authentik.AuthentikCallException.FieldError;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Reads authentik's (Django REST framework's) error bodies: {@code {"detail": …}} or field → messages, nested by part. */
final class AuthentikErrors {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_MESSAGE = 500;

    private AuthentikErrors() {}

    record Parsed(String detail, List<FieldError> fieldErrors) {}

    static Parsed parse(String body) {
        if (body == null || body.isBlank()) {
            return new Parsed(null, List.of());
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (Exception e) {
            return new Parsed(null, List.of());
        }
        if (root == null || !root.isObject()) {
            return new Parsed(null, List.of());
        }
        String detail = root.path("detail").isTextual() ? clip(root.get("detail").asText()) : null;
        List<FieldError> errors = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!field.getKey().equals("detail") && !field.getKey().equals("code")) {
                collect(field.getKey(), field.getValue(), errors);
            }
        }
        return new Parsed(detail, errors);
    }

    private static void collect(String path, JsonNode node, List<FieldError> into) {
        if (node.isTextual()) {
            into.add(new FieldError(path, clip(node.asText())));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                JsonNode element = node.get(i);
                if (element.isTextual()) {
                    into.add(new FieldError(path, clip(element.asText())));
                } else {
                    collect(path + "[" + i + "]", element, into);
                }
            }
        } else if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                collect(path + "." + field.getKey(), field.getValue(), into);
            }
        }
    }

    private static String clip(String text) {
        return text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE) + "…";
    }
}
