package io.atrium.edge.proxy;

import io.atrium.policy.cache.ResponseCache;
import io.netty.handler.codec.http.HttpHeaders;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A route's traffic rules resolved for the data path: header conditions, the weighted split between clusters, the
 * mirror cluster and the response cache. Immutable; choosing costs no lookup by name.
 */
public final class TrafficPlan {

    /** No conditions, no split, no mirror, no cache. */
    public static final TrafficPlan NONE = new TrafficPlan(new String[0], new String[0], null, null, null, 0, null);

    private final String[] headerNames;
    /** Per condition: the exact value, or null for "present". */
    private final String[] headerValues;
    private final Cluster[] split;
    private final int[] cumulativeWeights;
    private final Cluster mirror;
    private final long mirrorMaxBody;
    private final ResponseCache cache;

    TrafficPlan(String[] headerNames, String[] headerValues, List<Cluster> splitClusters, int[] weights, Cluster mirror, long mirrorMaxBody,
                ResponseCache cache) {
        this.headerNames = headerNames;
        this.headerValues = headerValues;
        if (splitClusters == null || splitClusters.isEmpty()) {
            this.split = null;
            this.cumulativeWeights = null;
        } else {
            this.split = splitClusters.toArray(Cluster[]::new);
            this.cumulativeWeights = new int[weights.length];
            int sum = 0;
            for (int i = 0; i < weights.length; i++) {
                sum += weights[i];
                cumulativeWeights[i] = sum;
            }
        }
        this.mirror = mirror;
        this.mirrorMaxBody = mirrorMaxBody;
        this.cache = cache;
    }

    /** Whether every header condition holds for {@code headers}. */
    public boolean matches(HttpHeaders headers) {
        for (int i = 0; i < headerNames.length; i++) {
            String exact = headerValues[i];
            if (exact == null ? !headers.contains(headerNames[i]) : !headers.contains(headerNames[i], exact, false)) {
                return false;
            }
        }
        return true;
    }

    public boolean hasHeaderConditions() {
        return headerNames.length > 0;
    }

    /** The cluster for one request: {@code primary} without a split, else one chosen in proportion to the weights. */
    public Cluster pick(Cluster primary) {
        if (split == null) {
            return primary;
        }
        int total = cumulativeWeights[cumulativeWeights.length - 1];
        int roll = ThreadLocalRandom.current().nextInt(total);
        for (int i = 0; i < split.length; i++) {
            if (roll < cumulativeWeights[i]) {
                return split[i];
            }
        }
        return split[split.length - 1];
    }

    /** The shadow cluster requests are copied to, or null. */
    public Cluster mirror() {
        return mirror;
    }

    public long mirrorMaxBody() {
        return mirrorMaxBody;
    }

    /** The route's response cache, or null. */
    public ResponseCache cache() {
        return cache;
    }
}
