package dev.chatgptsso.provisioner.authentik;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Which destinations this service may call: https on public addresses only, unless private networks
 * are allowed (dev and test). Applied when an instance is registered and again before every call,
 * because DNS can change between the two. Stops the API from being used to reach internal services
 * (cloud metadata at 169.254.169.254, databases, admin consoles).
 */
public final class OutboundPolicy {
    private final boolean allowPrivateNetworks;

    public OutboundPolicy(boolean allowPrivateNetworks) {
        this.allowPrivateNetworks = allowPrivateNetworks;
    }

    public boolean allowsPrivateNetworks() {
        return allowPrivateNetworks;
    }

    /** Throws {@link OutboundAddressException} when {@code scheme://host} may not be called. */
    public void check(String scheme, String host) {
        if (allowPrivateNetworks) {
            return;
        }
        if (!"https".equals(scheme == null ? "" : scheme.toLowerCase(Locale.ROOT))) {
            throw new OutboundAddressException("plain http is not allowed; use https");
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new OutboundAddressException("host " + host + " cannot be resolved");
        }
        for (InetAddress address : addresses) {
            if (isInternal(address)) {
                throw new OutboundAddressException("host " + host + " resolves to a loopback, private, link-local or multicast address");
            }
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
                || (first == 198 && (second == 18 || second == 19)) // benchmarking 198.18/15
                || first >= 240; // reserved and broadcast
    }
}
