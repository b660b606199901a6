package io.atrium.policy.resilience;

import io.atrium.policy.resilience.internal.Balancers;
import java.util.random.RandomGenerator;

/** The load-balancing algorithms a cluster can be configured with ({@code load_balancing}, default {@link #ROUND_ROBIN}). */
public enum LoadBalancing {
    /** Each available endpoint in turn. */
    ROUND_ROBIN,
    /** Power of two choices: two random available endpoints, the one with fewer requests in flight wins. */
    LEAST_REQUEST,
    /** Smooth weighted round-robin (as in NGINX): endpoints in proportion to their weight, interleaved. */
    WEIGHTED;

    /** A new balancer of this kind (each cluster has its own position state). */
    public LoadBalancer create(RandomGenerator random) {
        return switch (this) {
            case ROUND_ROBIN -> Balancers.roundRobin();
            case LEAST_REQUEST -> Balancers.leastRequest(random);
            case WEIGHTED -> Balancers.weighted();
        };
    }
}
