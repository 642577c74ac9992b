package dev.chatgptsso.provisioner.fakeauthentik;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

/** One HTTP request as the endpoint handlers see it. */
final class ApiRequest {

    final String method;
    final String path;
    final Map<String, List<String>> query;
    final String contentType;
    final String body;
    /** scheme://host[:port] the caller used (Host / X-Forwarded-* headers) */
    final String baseUrl;
    /** values of the route's {placeholders}, in order */
    List<String> pathParams = List.of();
    FakeUser user;

    ApiRequest(String method, String path, Map<String, List<String>> query, String contentType, String body,
               String baseUrl) {
        this.method = method;
        this.path = path;
        this.query = query;
        this.contentType = contentType;
        this.body = body == null ? "" : body;
        this.baseUrl = baseUrl;
    }

    String pathParam(int index) {
        return pathParams.get(index);
    }

    String queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    List<String> queryParams(String name) {
        return query.getOrDefault(name, List.of());
    }

    boolean hasQueryParam(String name) {
        return query.containsKey(name);
    }

    /** django-filter's boolean parsing: true/True/1 and false/False/0; anything else means "no filter". */
    Boolean booleanQueryParam(String name) {
        String value = queryParam(name);
        if (value == null) return null;
        return switch (value) {
            case "true", "True", "1" -> true;
            case "false", "False", "0" -> false;
            default -> null;
        };
    }

    boolean isSuperuser() {
        return user != null && user.superuser();
    }

    /**
     * The body as DRF's JSON parser sees it: an empty body is an empty object, malformed JSON a 400
     * "JSON parse error", and a non-JSON media type a 415.
     */
    ObjectNode jsonObject() {
        if (body.isBlank()) {
            return Json.object();
        }
        if (contentType == null || !isJsonMediaType(contentType)) {
            throw ApiException.detail(415, "Unsupported media type \"" + (contentType == null ? "" : contentType)
                    + "\" in request.");
        }
        JsonNode parsed;
        try {
            parsed = Json.parse(body);
        } catch (JsonProcessingException e) {
            throw ApiException.detail(400, "JSON parse error - " + e.getOriginalMessage());
        }
        if (parsed instanceof ObjectNode object) {
            return object;
        }
        throw ApiException.badRequest(Json.object().set("non_field_errors", Json.array()
                .add("Invalid data. Expected a dictionary, but got " + Json.pythonType(parsed) + ".")));
    }

    static boolean isJsonMediaType(String contentType) {
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase();
        return mediaType.equals("application/json") || mediaType.endsWith("+json");
    }
}
