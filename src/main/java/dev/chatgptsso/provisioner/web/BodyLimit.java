package dev.chatgptsso.provisioner.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Answers a body announced larger than {@code quarkus.http.limits.max-body-size} with a 413 problem document.
 * Quarkus' own check (route order -2) answers an empty 413 without a content type; this route runs just before
 * it with the same rule (the {@code Content-Length} header) and only changes the answer's shape.
 */
@ApplicationScoped
public class BodyLimit {

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    Optional<MemorySize> maxBodySize;

    void install(@Observes Router router, ObjectMapper mapper) {
        if (maxBodySize.isEmpty()) {
            return;
        }
        long limit = maxBodySize.get().asLongValue();
        router.route().order(-3).handler(rc -> {
            String length = rc.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && tooLarge(length, limit)) {
                Problem problem = new Problem(ProblemType.PAYLOAD_TOO_LARGE, "the body may have at most " + limit + " bytes",
                        rc.request().path(), List.of(), Map.of());
                String json;
                try {
                    json = mapper.writeValueAsString(problem);
                } catch (JsonProcessingException e) {
                    json = "{\"type\":\"" + ProblemType.PAYLOAD_TOO_LARGE.uri() + "\",\"status\":413}";
                }
                // the rest of the body is not read: close the connection after answering, as Quarkus does
                rc.response().setStatusCode(413)
                        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                        .putHeader(HttpHeaders.CONNECTION, "close")
                        .end(json);
                return;
            }
            rc.next();
        });
    }

    private static boolean tooLarge(String contentLength, long limit) {
        try {
            return Long.parseLong(contentLength.trim()) > limit;
        } catch (NumberFormatException e) {
            return false; // left to Quarkus and the HTTP codec
        }
    }
}
