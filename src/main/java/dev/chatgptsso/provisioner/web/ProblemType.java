package dev.chatgptsso.provisioner.web;

/**
 * The stable catalogue of problem types this API answers with. The {@code type} URI of a problem
 * is {@code /problems/<slug>}; clients may rely on the slug, titles are for humans.
 */
public enum ProblemType {
    VALIDATION(400, "validation", "The request is not valid"),
    MALFORMED_JSON(400, "malformed-json", "The request body is not valid JSON of the expected shape"),
    UNAUTHORIZED(401, "unauthorized", "A valid API key is required"),
    FORBIDDEN(403, "forbidden", "This API key may not do that"),
    NOT_FOUND(404, "not-found", "Not found"),
    METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed"),
    NOT_ACCEPTABLE(406, "not-acceptable", "Not acceptable"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Unsupported media type"),
    TENANT_EXISTS(409, "tenant-exists", "A tenant with this id already exists"),
    INSTANCE_EXISTS(409, "instance-exists", "The tenant already has an instance with this name"),
    INTEGRATION_EXISTS(409, "integration-exists", "A live integration for this application slug already exists on this instance"),
    APPLICATION_SLUG_TAKEN(409, "application-slug-taken", "The application slug already exists in authentik and was not made by this service"),
    INTEGRATION_STATE_CONFLICT(409, "integration-state-conflict", "The integration is not in a state that allows this"),
    INTEGRATION_BUSY(409, "integration-busy", "Another operation on this integration is in progress; retry shortly"),
    PROTOCOL_MISMATCH(409, "protocol-mismatch", "Not available for this integration's protocol"),
    IDEMPOTENCY_KEY_IN_PROGRESS(409, "idempotency-key-in-progress", "A request with this Idempotency-Key is still being processed; retry shortly"),
    PAYLOAD_TOO_LARGE(413, "payload-too-large", "The request body is too large"),
    IDEMPOTENCY_KEY_REUSED(422, "idempotency-key-reused", "The Idempotency-Key was already used with a different request"),
    INSTANCE_REQUIRED(422, "instance-required", "instanceId is required unless the tenant has exactly one instance"),
    OUTBOUND_ADDRESS_REFUSED(422, "outbound-address-refused", "The authentik URL points at an address this service may not call"),
    AUTHENTIK_TOKEN_REJECTED(422, "authentik-token-rejected", "authentik rejected the API token"),
    AUTHENTIK_VERSION_UNSUPPORTED(422, "authentik-version-unsupported", "This authentik version is not supported"),
    AUTHENTIK_PERMISSIONS_INSUFFICIENT(422, "authentik-permissions-insufficient", "The API token's user lacks permissions this service needs"),
    AUTHENTIK_PREREQUISITE_MISSING(422, "authentik-prerequisite-missing", "An object the recipe needs does not exist in authentik"),
    AUTHENTIK_OBJECT_NOT_FOUND(422, "authentik-object-not-found", "The object does not exist in authentik or the token cannot see it"),
    AUTHENTIK_REJECTED(502, "authentik-rejected", "authentik rejected a request"),
    AUTHENTIK_ERROR(502, "authentik-error", "authentik failed"),
    AUTHENTIK_UNREACHABLE(502, "authentik-unreachable", "authentik could not be reached"),
    AUTHENTIK_TIMEOUT(504, "authentik-timeout", "authentik did not answer in time"),
    AUTHENTIK_CIRCUIT_OPEN(503, "authentik-circuit-open", "Too many recent failures on this authentik instance; calls are paused"),
    AUTHENTIK_STATE_MISMATCH(502, "authentik-state-mismatch", "authentik did not store what was sent"),
    INTERNAL(500, "internal-error", "Internal error");

    private final int status;
    private final String slug;
    private final String title;

    ProblemType(int status, String slug, String title) {
        this.status = status;
        this.slug = slug;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String uri() {
        return "/problems/" + slug;
    }
}
