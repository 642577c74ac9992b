package dev.chatgptsso.provisioner.instance;

import dev.chatgptsso.provisioner.authentik.AuthentikClients;
import dev.chatgptsso.provisioner.authentik.OutboundAddressException;
import dev.chatgptsso.provisioner.authentik.OutboundPolicy;
import dev.chatgptsso.provisioner.web.Problem;
import dev.chatgptsso.provisioner.web.ProblemException;
import dev.chatgptsso.provisioner.web.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The shape of an authentik base URL, and whether this service may call it at registration
 * ({@link OutboundPolicy}: https on public addresses only unless private networks are allowed).
 * The same policy is applied again before every call.
 */
@ApplicationScoped
public class InstanceUrlPolicy {
    private final OutboundPolicy outbound;

    InstanceUrlPolicy(AuthentikClients clients) {
        this.outbound = clients.outboundPolicy();
    }

    /** The normalised base URL (no trailing slash), or a problem naming {@code baseUrl}. */
    public String check(String baseUrl) {
        URI uri;
        try {
            uri = new URI(baseUrl.trim());
        } catch (URISyntaxException e) {
            throw ProblemException.invalidField("baseUrl", "must be an absolute URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || uri.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw ProblemException.invalidField("baseUrl", "must be an absolute https URL with a host");
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw ProblemException.invalidField("baseUrl", "must not contain credentials, a query or a fragment");
        }
        try {
            outbound.check(scheme, uri.getHost());
        } catch (OutboundAddressException e) {
            throw new ProblemException(ProblemType.OUTBOUND_ADDRESS_REFUSED, e.getMessage(),
                    List.of(new Problem.FieldError("baseUrl", e.getMessage())), Map.of());
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String port = uri.getPort() == -1 ? "" : ":" + uri.getPort();
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + port + path;
    }
}
