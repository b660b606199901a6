package io.atrium.edge.config;

import io.atrium.policy.cache.CacheConfig;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a route's requests go besides its path prefix, and what the edge answers itself.
 *
 * @param headers {@code match.headers}: conditions that must all hold for the route to match (empty: none)
 * @param split {@code split}: clusters chosen per request in proportion to their weights (empty: the route's
 *     {@code cluster} serves every request)
 * @param mirror {@code mirror}: a shadow cluster every request is copied to, or empty
 * @param cache {@code cache}: the route's response cache, or empty when it has none
 */
public record RouteTraffic(List<HeaderMatch> headers, List<WeightedCluster> split, Optional<Mirror> mirror, Optional<CacheConfig> cache) {

    public static final RouteTraffic NONE = new RouteTraffic(List.of(), List.of(), Optional.empty(), Optional.empty());

    public RouteTraffic {
        headers = List.copyOf(headers);
        split = List.copyOf(split);
        Objects.requireNonNull(mirror, "mirror");
        Objects.requireNonNull(cache, "cache");
    }

    /**
     * A request header condition: the header is present (with any value) when {@code exact} is null, else one of its
     * values equals {@code exact} (case-sensitive).
     */
    public record HeaderMatch(String name, String exact) {

        public HeaderMatch {
            Objects.requireNonNull(name, "name");
        }
    }

    /** One cluster of a weighted split. */
    public record WeightedCluster(String cluster, int weight) {
    }

    /**
     * Request mirroring.
     *
     * @param cluster the shadow cluster
     * @param maxBody requests with a larger (or undeclared, chunked) body are not mirrored; default 64 KiB
     */
    public record Mirror(String cluster, long maxBody) {

        public static final long DEFAULT_MAX_BODY = 64 * 1024;
    }
}
