package dev.chatgptsso.provisioner.authentik;

import java.util.List;

/**
 * A call to authentik that did not succeed: not reachable, timed out, or answered with an error
 * status. Carries authentik's field errors by field name; never a request or response body, so
 * it is safe to log and to show.
 */
public class AuthentikCallException extends RuntimeException {

    public enum Kind { UNREACHABLE, TIMEOUT, HTTP }

    public record FieldError(String field, String message) {}

    private final Kind kind;
    private final String method;
    private final String path;
    private final Integer status;
    private final String authentikDetail;
    private final List<FieldError> fieldErrors;

    AuthentikCallException(Kind kind, String method, String path, Integer status, String authentikDetail, List<FieldError> fieldErrors) {
        super(describe(kind, method, path, status, authentikDetail), null, false, false);
        this.kind = kind;
        this.method = method;
        this.path = path;
        this.status = status;
        this.authentikDetail = authentikDetail;
        this.fieldErrors = List.copyOf(fieldErrors);
    }

    private static String describe(Kind kind, String method, String path, Integer status, String detail) {
        String call = method + " " + path;
        return switch (kind) {
            case UNREACHABLE -> call + ": authentik not reachable";
            case TIMEOUT -> call + ": authentik did not answer in time";
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

    public boolean isStatus(int expected) {
        return status != null && status == expected;
    }

    /** True when authentik may have carried out a write although we got no success answer. */
    public boolean outcomeUnknown() {
        return kind != Kind.HTTP || status >= 500;
    }
}
