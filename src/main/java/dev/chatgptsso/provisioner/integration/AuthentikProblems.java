package dev.chatgptsso.provisioner.integration;

import dev.chatgptsso.provisioner.authentik.AuthentikCallException;
import dev.chatgptsso.provisioner.web.Problem;
import dev.chatgptsso.provisioner.web.ProblemException;
import dev.chatgptsso.provisioner.web.ProblemType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How a failed authentik call reaches our caller: 502 (504 for timeouts), naming the step and authentik's field errors. */
public final class AuthentikProblems {
    private AuthentikProblems() {}

    public static ProblemException of(AuthentikCallException e, String step) {
        ProblemType type = switch (e.kind()) {
            case REFUSED -> ProblemType.OUTBOUND_ADDRESS_REFUSED;
            case TIMEOUT -> ProblemType.AUTHENTIK_TIMEOUT;
            case UNREACHABLE -> ProblemType.AUTHENTIK_UNREACHABLE;
            case CIRCUIT_OPEN -> ProblemType.AUTHENTIK_CIRCUIT_OPEN;
            case HTTP -> e.status() >= 500 ? ProblemType.AUTHENTIK_ERROR : ProblemType.AUTHENTIK_REJECTED;
        };
        List<Problem.FieldError> errors = e.fieldErrors().stream().map(f -> new Problem.FieldError(f.field(), f.message())).toList();
        Map<String, Object> extensions = new LinkedHashMap<>();
        extensions.put("step", step);
        if (e.status() != null) {
            extensions.put("authentikStatus", e.status());
        }
        return new ProblemException(type, "step " + step + " failed: " + e.getMessage(), errors, extensions);
    }
}
