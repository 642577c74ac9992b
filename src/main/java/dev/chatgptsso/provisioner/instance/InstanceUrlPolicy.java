package dev.chatgptsso.provisioner.instance;

import dev.chatgptsso.provisioner.ProvisionerConfig;
import dev.chatgptsso.provisioner.web.Problem;
import dev.chatgptsso.provisioner.web.ProblemException;
import dev.chatgptsso.provisioner.web.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which authentik URLs this service may call: https on public addresses only, unless
 * {@code provisioner.outbound.allow-private-networks} is set (dev and test). Stops the API from
 * being used to reach internal services (metadata endpoints, databases, admin consoles).
 */
@ApplicationScoped
public class InstanceUrlPolicy {
    private final boolean allowPrivateNetworks;

    InstanceUrlPolicy(ProvisionerConfig config) {
        this.allowPrivateNetworks = config.outbound().allowPrivateNetworks();
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
        if (scheme.equals("http") && !allowPrivateNetworks) {
            throw refused("plain http is not allowed; use https");
        }
        if (!allowPrivateNetworks) {
            for (InetAddress address : resolve(uri.getHost())) {
                if (isInternal(address)) {
                    throw refused("host " + uri.getHost() + " resolves to a loopback, private, link-local or multicast address");
                }
            }
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String port = uri.getPort() == -1 ? "" : ":" + uri.getPort();
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + port + path;
    }

    private static InetAddress[] resolve(String host) {
        try {
            return InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new ProblemException(ProblemType.AUTHENTIK_UNREACHABLE, "host " + host + " cannot be resolved");
        }
    }

    static boolean isInternal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet6Address) {
            return (b[0] & 0xfe) == 0xfc; // unique local fc00::/7
        }
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        return first == 0 || (first == 100 && second >= 64 && second <= 127) // carrier-grade NAT 100.64/10
                || (first == 198 && (second == 18 || second == 19)); // benchmarking 198.18/15
    }

    private static ProblemException refused(String detail) {
        return new ProblemException(ProblemType.OUTBOUND_ADDRESS_REFUSED, detail,
                List.of(new Problem.FieldError("baseUrl", detail)), Map.of());
    }
}
