package dev.chatgptsso.provisioner.web;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every {@code /api/v1} request must carry {@code Authorization: Bearer <api key or JWT>}; otherwise
 * 401 problem. A verified JWT that grants no scope answers 403. The filter runs after routing, on the
 * worker thread of the (blocking) endpoint, never on the event loop: verifying a JWT may fetch the
 * identity provider's JWKS.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class ApiKeyFilter implements ContainerRequestFilter {

    @Inject
    ApiKeys apiKeys;

    @Inject
    BearerJwts bearerJwts;

    @Inject
    CurrentCaller currentCaller;

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/api/")) {
            return;
        }
        Optional<String> bearer = bearer(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        Optional<Caller> caller = bearer.flatMap(apiKeys::authenticate);
        if (caller.isEmpty() && bearer.isPresent()) {
            Optional<BearerJwts.Outcome> jwt = bearerJwts.authenticate(bearer.get());
            if (jwt.isPresent() && jwt.get() instanceof BearerJwts.Outcome.NoScope) {
                request.abortWith(ProblemMappers.respond(new Problem(ProblemType.FORBIDDEN,
                        "the token names neither a tenant nor the admin group", request.getUriInfo().getRequestUri().getRawPath(),
                        List.of(), Map.of())));
                return;
            }
            caller = jwt.map(granted -> ((BearerJwts.Outcome.Granted) granted).caller());
        }
        if (caller.isEmpty()) {
            request.abortWith(unauthorized(request));
            return;
        }
        currentCaller.set(caller.get());
    }

    private static jakarta.ws.rs.core.Response unauthorized(ContainerRequestContext request) {
        jakarta.ws.rs.core.Response response = ProblemMappers.respond(new Problem(ProblemType.UNAUTHORIZED,
                "send Authorization: Bearer <api key>", request.getUriInfo().getRequestUri().getRawPath(), List.of(), Map.of()));
        response.getHeaders().add(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        return response;
    }

    static Optional<String> bearer(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String trimmed = header.trim();
        if (trimmed.length() < 8 || !trimmed.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = trimmed.substring(7).trim();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }
}
