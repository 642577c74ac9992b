package dev.chatgptsso.provisioner.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.quarkus.logging.Log;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns every failure that reaches a caller into {@code application/problem+json}; never leaks class names or stack traces. */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uriInfo) {
        return respond(new Problem(e.type(), e.getMessage(), path(uriInfo), e.errors(), e.extensions()));
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e, UriInfo uriInfo) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(fieldName(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        String detail = errors.stream().map(f -> f.field() + ": " + f.message()).collect(Collectors.joining("; "));
        return respond(new Problem(ProblemType.VALIDATION, detail, path(uriInfo), errors, Map.of()));
    }

    @ServerExceptionMapper
    public Response unrecognizedProperty(UnrecognizedPropertyException e, UriInfo uriInfo) {
        String field = jsonPath(e);
        return respond(new Problem(ProblemType.VALIDATION, "unknown field: " + field, path(uriInfo),
                List.of(new Problem.FieldError(field, "unknown field")), Map.of()));
    }

    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e, UriInfo uriInfo) {
        String field = jsonPath(e);
        if (field.isEmpty()) {
            return respond(new Problem(ProblemType.MALFORMED_JSON, "the body does not have the expected shape", path(uriInfo), List.of(), Map.of()));
        }
        String expected = e.getTargetType() == null ? "another type" : describe(e.getTargetType());
        return respond(new Problem(ProblemType.VALIDATION, field + ": must be " + expected, path(uriInfo),
                List.of(new Problem.FieldError(field, "must be " + expected)), Map.of()));
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e, UriInfo uriInfo) {
        // the parser's own message quotes the input, which may contain secrets: do not echo it
        String location = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        return respond(new Problem(ProblemType.MALFORMED_JSON, "the body is not valid JSON" + location, path(uriInfo), List.of(), Map.of()));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uriInfo) {
        int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
        if (e.getCause() instanceof JsonProcessingException json) {
            return json instanceof MismatchedInputException mismatch ? mismatchedInput(mismatch, uriInfo) : malformedJson(json, uriInfo);
        }
        ProblemType type = switch (status) {
            case 400 -> ProblemType.MALFORMED_JSON;
            case 401 -> ProblemType.UNAUTHORIZED;
            case 403 -> ProblemType.FORBIDDEN;
            case 404 -> ProblemType.NOT_FOUND;
            case 405 -> ProblemType.METHOD_NOT_ALLOWED;
            case 406 -> ProblemType.NOT_ACCEPTABLE;
            case 415 -> ProblemType.UNSUPPORTED_MEDIA_TYPE;
            default -> null;
        };
        if (type == null) {
            Log.errorf(e, "unexpected HTTP error %d", status);
            type = ProblemType.INTERNAL;
        }
        String detail = type == ProblemType.NOT_FOUND ? "no such resource" : type.title();
        return respond(new Problem(type, detail, path(uriInfo), List.of(), Map.of()));
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, UriInfo uriInfo) {
        Log.errorf(e, "unexpected failure on %s", path(uriInfo));
        return respond(new Problem(ProblemType.INTERNAL, "an unexpected error occurred; it has been logged", path(uriInfo), List.of(), Map.of()));
    }

    static Response respond(Problem problem) {
        return Response.status(problem.status).type(Problem.MEDIA_TYPE).entity(problem).build();
    }

    private static String path(UriInfo uriInfo) {
        return uriInfo == null ? null : uriInfo.getRequestUri().getRawPath();
    }

    /** {@code create.request.application.slug} → {@code application.slug}; a query/path parameter keeps its name. */
    static String fieldName(ConstraintViolation<?> violation) {
        String parameter = "";
        List<String> properties = new ArrayList<>();
        for (Path.Node node : violation.getPropertyPath()) {
            if (node.getKind() == ElementKind.PARAMETER) {
                parameter = node.getName();
            } else if (node.getKind() == ElementKind.PROPERTY) {
                properties.add(node.getIndex() == null ? node.getName() : node.getName() + "[" + node.getIndex() + "]");
            }
        }
        return properties.isEmpty() ? PARAMETER_NAMES.getOrDefault(parameter, parameter) : String.join(".", properties);
    }

    /** Parameters a client knows by another name than the Java one. */
    private static final Map<String, String> PARAMETER_NAMES = Map.of("idempotencyKey", "Idempotency-Key");

    private static String jsonPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String describe(Class<?> type) {
        if (type == String.class || type.isEnum()) {
            return type.isEnum() ? "one of the allowed values" : "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "a boolean";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        if (type == java.util.UUID.class) {
            return "a UUID";
        }
        if (List.class.isAssignableFrom(type)) {
            return "an array";
        }
        return "an object";
    }
}
