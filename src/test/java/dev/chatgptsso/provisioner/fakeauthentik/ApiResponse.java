package dev.chatgptsso.provisioner.fakeauthentik;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

/** An answer: JSON (the usual case) or a raw body with its own content type (metadata XML, PEM, schema). */
record ApiResponse(int status, String contentType, String body, Map<String, String> headers) {

    static ApiResponse json(int status, JsonNode body) {
        return new ApiResponse(status, "application/json", body == null ? "" : Json.write(body), Map.of());
    }

    static ApiResponse ok(JsonNode body) {
        return json(200, body);
    }

    static ApiResponse created(JsonNode body) {
        return json(201, body);
    }

    static ApiResponse noContent() {
        return new ApiResponse(204, null, "", Map.of());
    }

    static ApiResponse raw(int status, String contentType, String body, Map<String, String> headers) {
        return new ApiResponse(status, contentType, body, headers);
    }

    static ApiResponse of(ApiException exception) {
        return json(exception.status, exception.body);
    }
}
