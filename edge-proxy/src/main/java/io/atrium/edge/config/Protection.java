package io.atrium.edge.config;

import io.atrium.policy.ratelimit.Cidr;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Protocol protection of one route.
 *
 * @param maxRequestBody {@code max_request_body} (route) over {@code limits.max_request_body} (global), default 10 MiB
 * @param cors {@code cors}: empty when the route answers no CORS
 * @param ipFilter {@code ip_filter}: allow and deny lists of client addresses
 * @param redirectToHttps {@code redirect_to_https}, default false: plain-HTTP requests get 308 to the HTTPS listener
 */
public record Protection(long maxRequestBody, Optional<Cors> cors, IpFilter ipFilter, boolean redirectToHttps) {

    public static final long DEFAULT_MAX_REQUEST_BODY = 10L * 1024 * 1024;

    public Protection {
        Objects.requireNonNull(cors, "cors");
        Objects.requireNonNull(ipFilter, "ipFilter");
    }

    /**
     * Client addresses a route accepts. The peer address is used (not {@code X-Forwarded-For}). A deny entry wins over
     * an allow entry; with a non-empty allow list, only listed addresses are accepted.
     */
    public record IpFilter(List<Cidr> allow, List<Cidr> deny) {

        public static final IpFilter NONE = new IpFilter(List.of(), List.of());

        public IpFilter {
            allow = List.copyOf(allow);
            deny = List.copyOf(deny);
        }

        public boolean isEmpty() {
            return allow.isEmpty() && deny.isEmpty();
        }

        public boolean permits(InetAddress address) {
            if (address == null) {
                return allow.isEmpty();
            }
            for (Cidr cidr : deny) {
                if (cidr.contains(address)) {
                    return false;
                }
            }
            if (allow.isEmpty()) {
                return true;
            }
            for (Cidr cidr : allow) {
                if (cidr.contains(address)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Cross-origin resource sharing for a route. Preflights ({@code OPTIONS} with {@code Access-Control-Request-Method})
     * are answered by the edge; other requests from an allowed origin get the {@code Access-Control-Allow-*} headers.
     *
     * @param allowOrigins {@code allow_origins}: exact origins, or {@code "*"} for any (not with credentials)
     * @param allowMethods {@code allow_methods}, default GET, HEAD, POST
     * @param allowHeaders {@code allow_headers}, default none beyond the CORS-safelisted ones
     * @param exposeHeaders {@code expose_headers}, default none
     * @param allowCredentials {@code allow_credentials}, default false
     * @param maxAge {@code max_age}, default 10m: how long browsers may cache a preflight answer
     */
    public record Cors(Set<String> allowOrigins, List<String> allowMethods, List<String> allowHeaders, List<String> exposeHeaders,
                       boolean allowCredentials, Duration maxAge) {

        public static final List<String> DEFAULT_METHODS = List.of("GET", "HEAD", "POST");
        public static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(10);

        public Cors {
            allowOrigins = Set.copyOf(allowOrigins);
            allowMethods = List.copyOf(allowMethods);
            allowHeaders = List.copyOf(allowHeaders);
            exposeHeaders = List.copyOf(exposeHeaders);
        }

        public boolean anyOrigin() {
            return allowOrigins.contains("*");
        }

        public boolean allows(String origin) {
            return anyOrigin() || allowOrigins.contains(origin);
        }
    }
}
