package dev.chatgptsso.provisioner.authentik;

import java.util.List;

/**
 * A call to authentik that did not succeed: refused by the outbound guard, not reachable, timed
 * out, stopped by the instance's open circuit breaker, or answered with an error status. Carries
 * authentik's field errors by field name; never a request or response body, so it is safe to log
 * and to show.
 */
public class AuthentikCallException extends RuntimeException {

    public enum Kind { REFUSED, UNREACHABLE, TIMEOUT, CIRCUIT_OPEN, HTTP }

    public record FieldError(String field, String message) {}

    private final Kind kind;
    private final String method;
    private final String path;
    private final Integer status;
    private final String authentikDetail;
    private final List<FieldError> fieldErrors;
    private final Integer retryAfterSeconds;
    private final boolean idempotent;

    AuthentikCallException(Kind kind, String method, String path, Integer status, String authentikDetail, List<FieldError> fieldErrors,
            Integer retryAfterSeconds) {
        this(kind, method, path, status, authentikDetail, fieldErrors, retryAfterSeconds, false);
    }

    private AuthentikCallException(Kind kind, String method, String path, Integer status, String authentikDetail,
            List<FieldError> fieldErrors, Integer retryAfterSeconds, boolean idempotent) {
        super(describe(kind, method, path, status, authentikDetail), null, false, false);
        this.kind = kind;
        this.method = method;
        this.path = path;
        this.status = status;
        this.authentikDetail = authentikDetail;
        this.fieldErrors = List.copyOf(fieldErrors);
        this.retryAfterSeconds = retryAfterSeconds;
        this.idempotent = idempotent;
    }

    /** The same failure, marked as coming from a call that is safe to repeat. */
    AuthentikCallException ofIdempotentCall() {
        return idempotent ? this : new AuthentikCallException(kind, method, path, status, authentikDetail, fieldErrors, retryAfterSeconds, true);
    }

    static AuthentikCallException circuitOpen(String method, String path) {
        return new AuthentikCallException(Kind.CIRCUIT_OPEN, method, path, null, null, List.of(), null);
    }

    private static String describe(Kind kind, String method, String path, Integer status, String detail) {
        String call = method + " " + path;
        return switch (kind) {
            case REFUSED -> call + ": refused by the outbound address policy (" + detail + ")";
            case UNREACHABLE -> call + ": authentik not reachable";
            case TIMEOUT -> call + ": authentik did not answer in time";
            case CIRCUIT_OPEN -> call + ": not attempted, too many recent failures on this authentik instance (circuit open)";
            case HTTP -> call + ": authentik answered " + status + (detail == null ? "" : " (" + detail + ")");
        };
    }

    public Kind kind() {
        return kind;
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    /** authentik's HTTP status, or null when there was no answer. */
    public Integer status() {
        return status;
    }

    public String authentikDetail() {
        return authentikDetail;
    }

    public List<FieldError> fieldErrors() {
        return fieldErrors;
    }

    /** authentik's (or its proxy's) {@code Retry-After} in seconds, on a 429 or 503. */
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }

    public boolean isStatus(int expected) {
        return status != null && status == expected;
    }

    /** True when authentik may have carried out a write although we got no success answer. */
    public boolean outcomeUnknown() {
        return switch (kind) {
            case REFUSED, CIRCUIT_OPEN -> false;
            case UNREACHABLE, TIMEOUT -> true;
            case HTTP -> status >= 500;
        };
    }

    /** A failure that says the instance is unwell (counts towards its circuit breaker). */
    boolean isInstanceFailure() {
        return kind == Kind.UNREACHABLE || kind == Kind.TIMEOUT || (kind == Kind.HTTP && status >= 500);
    }

    /**
     * Worth another attempt: a throttled call (429: authentik did not act on it) always; a transient
     * failure only when the call is safe to repeat.
     */
    boolean isRetryable() {
        if (isStatus(429)) {
            return true;
        }
        return idempotent && isInstanceFailure();
    }
}
