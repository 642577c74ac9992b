package dev.chatgptsso.provisioner.authentik;

import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.ext.ResponseExceptionMapper;

/** Raised by the REST client for every non-2xx answer, with the (bounded) body for error parsing. */
final class AuthentikHttpStatusException extends RuntimeException {
    private static final int MAX_BODY = 64 * 1024;

    final int status;
    final String body;

    AuthentikHttpStatusException(int status, String body) {
        super("authentik answered " + status, null, false, false);
        this.status = status;
        this.body = body;
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
            return new AuthentikHttpStatusException(response.getStatus(), body);
        }

        @Override
        public boolean handles(int status, jakarta.ws.rs.core.MultivaluedMap<String, Object> headers) {
            return status >= 300;
        }
    }
}
