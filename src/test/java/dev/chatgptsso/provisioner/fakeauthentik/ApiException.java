package dev.chatgptsso.provisioner.fakeauthentik;

import com.fasterxml.jackson.databind.JsonNode;

/** Ends request handling with an authentik-shaped error answer. */
final class ApiException extends RuntimeException {

    final int status;
    final JsonNode body;

    ApiException(int status, JsonNode body) {
        super(status + " " + body, null, false, false);
        this.status = status;
        this.body = body;
    }

    static ApiException detail(int status, String detail) {
        return new ApiException(status, Json.object().put("detail", detail));
    }

    static ApiException notFound(String modelName) {
        return detail(404, "No " + modelName + " matches the given query.");
    }

    static ApiException badRequest(JsonNode body) {
        return new ApiException(400, body);
    }

    static ApiException permissionDenied() {
        return detail(403, "You do not have permission to perform this action.");
    }
}
