package dev.chatgptsso.provisioner.authentik;

import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

/** Raised by the REST client for every non-2xx answer, with the (bounded) body for error parsing. */
final class AuthentikHttpStatusException extends RuntimeException {
    private static final int MAX_BODY = 64 * 1024;

    final int status;
    final String body;
    final Integer retryAfterSeconds;

    AuthentikHttpStatusException(int status, String body, Integer retryAfterSeconds) {
        super("authentik answered " + status, null, false, false);
        this.status = status;
        this.body = body;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** {@code Retry-After} as delay-seconds; the HTTP-date form is not used by authentik and reads as absent. */
    static Integer retryAfter(String header) {
        if (header == null || !header.trim().matches("\\d{1,6}")) {
            return null;
        }
        return Integer.parseInt(header.trim());
    }

    static final class Mapper implements ResponseExceptionMapper<AuthentikHttpStatusException> {
        @Override
        public AuthentikHttpStatusException toThrowable(Response response) {
            String body = null;
            try {
                if (response.hasEntity()) {
                    body = response.readEntity(String.class);
                    if (body != null && body.length() > MAX_BODY) {
                        body = body.substring(0, MAX_BODY);
                    }
                }
            } catch (RuntimeException ignored) {
                // an unreadable error body leaves only the status to report
            }
            return new AuthentikHttpStatusException(response.getStatus(), body, retryAfter(response.getHeaderString("Retry-After")));
        }

        @Override
        public boolean handles(int status, jakarta.ws.rs.core.MultivaluedMap<String, Object> headers) {
            return status >= 300;
        }
    }
}
