package io.atrium.policy.ratelimit;

import io.atrium.policy.PolicyRequest;
import java.net.InetAddress;
import java.util.List;

/**
 * The client's address for rate limiting. {@code X-Forwarded-For} is only believed when the connection comes from a
 * trusted proxy: the entries are read right to left, skipping trusted proxies, and the first untrusted address is
 * the client. With no trusted proxies configured the header is ignored entirely (it is client-controlled).
 */
public final class ClientAddressResolver {

    public static final String X_FORWARDED_FOR = "X-Forwarded-For";

    private final List<Cidr> trustedProxies;

    public ClientAddressResolver(List<Cidr> trustedProxies) {
        this.trustedProxies = List.copyOf(trustedProxies);
    }

    public static ClientAddressResolver untrusting() {
        return new ClientAddressResolver(List.of());
    }

    /** The client address, or null when the request has no peer address. */
    public InetAddress resolve(PolicyRequest request) {
        InetAddress peer = request.clientAddress();
        if (peer == null || trustedProxies.isEmpty() || !trusted(peer)) {
            return peer;
        }
        List<String> values = request.headerValues(X_FORWARDED_FOR);
        InetAddress client = peer;
        for (int v = values.size() - 1; v >= 0; v--) {
            String value = values.get(v);
            int end = value.length();
            while (end > 0) {
                int comma = value.lastIndexOf(',', end - 1);
                String entry = value.substring(comma + 1, end).strip();
                end = comma < 0 ? 0 : comma;
                InetAddress hop;
                try {
                    hop = InetAddress.ofLiteral(entry);
                } catch (IllegalArgumentException e) {
                    return client;
                }
                if (!trusted(hop)) {
                    return hop;
                }
                client = hop;
            }
        }
        return client;
    }

    private boolean trusted(InetAddress address) {
        for (Cidr cidr : trustedProxies) {
            if (cidr.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
