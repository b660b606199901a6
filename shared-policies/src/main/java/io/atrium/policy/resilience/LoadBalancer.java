package io.atrium.policy.resilience;

/**
 * The extension point for endpoint selection. Implementations are thread-safe, lock-free and allocation-free: they are
 * called on every event loop for every attempt. {@code candidates} is never empty.
 */
public interface LoadBalancer {

    ClusterEndpoint choose(Candidates candidates);
}
