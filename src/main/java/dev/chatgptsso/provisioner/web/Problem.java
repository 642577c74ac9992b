package dev.chatgptsso.provisioner.web;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An RFC 9457 problem document; extension members (e.g. {@code step}) are serialised at top level. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"type", "title", "status", "detail", "instance", "errors"})
public final class Problem {
    public static final String MEDIA_TYPE = "application/problem+json";

    public final String type;
    public final String title;
    public final int status;
    public final String detail;
    public final String instance;
    public final List<FieldError> errors;
    private final Map<String, Object> extensions;

    public Problem(ProblemType problemType, String detail, String instance, List<FieldError> errors, Map<String, Object> extensions) {
        this.type = problemType.uri();
        this.title = problemType.title();
        this.status = problemType.status();
        this.detail = detail;
        this.instance = instance;
        this.errors = errors == null || errors.isEmpty() ? null : List.copyOf(errors);
        this.extensions = extensions == null ? Map.of() : new LinkedHashMap<>(extensions);
    }

    @JsonAnyGetter
    public Map<String, Object> extensions() {
        return extensions;
    }

    /** One invalid field; {@code field} is a JSON path such as {@code application.slug} or {@code provider.redirect_uris}. */
    public record FieldError(String field, String message) {}
}
