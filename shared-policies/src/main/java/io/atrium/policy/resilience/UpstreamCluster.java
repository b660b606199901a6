package io.atrium.policy.resilience;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * The resilience state of one upstream cluster, shared by every event loop of the edge: its endpoints, load
 * balancer, health checker, outlier detector, circuit breaker, retry policy and retry budget. Built once per cluster
 * at config load (a reload builds a new one); thread-safe and non-blocking.
 *
 * <p>Per request the edge uses an {@link UpstreamCall} ({@link #newCall(String)}), which drives all components in
 * the right order; the components are also exposed for the edge's probe scheduler and admin endpoints.
 */
public final class UpstreamCluster {

    private final String name;
    private final EndpointSet endpoints;
    private final LoadBalancer balancer;
    private final HealthChecker healthChecker;
    private final OutlierDetector outlierDetector;
    private final CircuitBreaker circuitBreaker;
    private final RetryPolicy retryPolicy;
    private final RetryBudget retryBudget;
    private final LongSupplier nanoClock;
    private final ResilienceListener listener;
    final ResilienceEvent.PanicRouted panicEvent;
    final ResilienceEvent.RetryAttempted retryEvent;
    final Map<RetryDecision.Reason, ResilienceEvent.RetryDenied> deniedEvents = new EnumMap<>(RetryDecision.Reason.class);

    private UpstreamCluster(Builder builder) {
        this.name = builder.name;
        this.nanoClock = builder.nanoClock;
        this.listener = builder.listener;
        this.endpoints = new EndpointSet(builder.endpoints);
        ClusterResilienceConfig config = builder.config;
        this.balancer = builder.balancer != null ? builder.balancer : config.loadBalancing().create(builder.random);
        this.healthChecker = config.healthCheck() == null ? null
                : new HealthChecker(name, config.healthCheck(), endpoints, nanoClock, listener);
        this.outlierDetector = config.outlierDetection() == null ? null
                : new OutlierDetector(name, config.outlierDetection(), endpoints, nanoClock, listener);
        this.circuitBreaker = config.circuitBreaker() == null ? null
                : new CircuitBreaker(name, config.circuitBreaker(), nanoClock, listener);
        this.retryPolicy = new RetryPolicy(config.retry(), builder.random);
        this.retryBudget = new RetryBudget(config.retry().budget());
        this.panicEvent = new ResilienceEvent.PanicRouted(name);
        this.retryEvent = new ResilienceEvent.RetryAttempted(name);
        for (RetryDecision.Reason reason : RetryDecision.Reason.values()) {
            deniedEvents.put(reason, new ResilienceEvent.RetryDenied(name, reason));
        }
    }

    public static Builder builder(String name, ClusterResilienceConfig config) {
        return new Builder(name, config);
    }

    public String name() {
        return name;
    }

    /** Every endpoint, in configuration order. */
    public List<ClusterEndpoint> endpoints() {
        return endpoints.all();
    }

    /** The endpoints eligible for load balancing right now (healthy and not ejected). */
    public List<ClusterEndpoint> availableEndpoints() {
        if (outlierDetector != null) {
            outlierDetector.returnExpired();
        }
        return endpoints.available().asList();
    }

    public Optional<HealthChecker> healthChecker() {
        return Optional.ofNullable(healthChecker);
    }

    public Optional<OutlierDetector> outlierDetector() {
        return Optional.ofNullable(outlierDetector);
    }

    public Optional<CircuitBreaker> circuitBreaker() {
        return Optional.ofNullable(circuitBreaker);
    }

    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    public RetryBudget retryBudget() {
        return retryBudget;
    }

    /** Starts the resilience bookkeeping of one request; the caller must end it with {@link UpstreamCall#finish()}. */
    public UpstreamCall newCall(String method) {
        return new UpstreamCall(this, RetryPolicy.idempotent(method));
    }

    /**
     * {@link #newCall(String)} for callers that know whether the request is idempotent beyond its HTTP method (a
     * GraphQL query sent as POST is; a mutation is not): a non-idempotent call is retried only when the request
     * provably never reached the endpoint.
     */
    public UpstreamCall newCall(boolean idempotent) {
        return new UpstreamCall(this, idempotent);
    }

    /**
     * Picks an endpoint among the available ones (all of them, flagged as panic, when none is). Lets ejected
     * endpoints whose time is up return first. Allocation-free.
     *
     * @param avoid an endpoint to avoid if another is available (the one the previous attempt failed on), or null
     */
    public Selection.Selected select(ClusterEndpoint avoid) {
        if (outlierDetector != null) {
            outlierDetector.returnExpired();
        }
        Candidates candidates = endpoints.available();
        boolean panic = candidates.size() == 0;
        if (panic) {
            candidates = endpoints.allCandidates();
        }
        ClusterEndpoint chosen = balancer.choose(candidates);
        if (chosen == avoid && candidates.size() > 1) {
            chosen = balancer.choose(candidates);
            if (chosen == avoid) {
                chosen = neighbour(candidates, avoid);
            }
        }
        if (panic) {
            listener.onEvent(panicEvent);
            return chosen.selectedInPanic;
        }
        return chosen.selected;
    }

    /** The candidate after {@code endpoint}: a deterministic way off an endpoint the balancer keeps choosing. */
    private static ClusterEndpoint neighbour(Candidates candidates, ClusterEndpoint endpoint) {
        for (int i = 0; i < candidates.size(); i++) {
            if (candidates.get(i) == endpoint) {
                return candidates.get((i + 1) % candidates.size());
            }
        }
        return endpoint;
    }

    /** Null when switched off; package-private so that the request path allocates no Optional. */
    OutlierDetector outliersOrNull() {
        return outlierDetector;
    }

    CircuitBreaker breakerOrNull() {
        return circuitBreaker;
    }

    long nanoTime() {
        return nanoClock.getAsLong();
    }

    ResilienceListener listener() {
        return listener;
    }

    /** Builds an {@link UpstreamCluster}. Defaults: {@code System::nanoTime}, {@link ThreadLocalRandom}, no listener. */
    public static final class Builder {
        private final String name;
        private final ClusterResilienceConfig config;
        private final List<ClusterEndpoint> endpoints = new ArrayList<>();
        private LongSupplier nanoClock = System::nanoTime;
        private RandomGenerator random = ThreadLocalRandom.current();
        private ResilienceListener listener = ResilienceListener.NONE;
        private LoadBalancer balancer;

        private Builder(String name, ClusterResilienceConfig config) {
            this.name = Objects.requireNonNull(name, "name");
            this.config = Objects.requireNonNull(config, "config");
        }

        /** An endpoint of weight 1. */
        public Builder endpoint(String id) {
            return endpoint(id, 1);
        }

        /** An endpoint; the weight matters for {@link LoadBalancing#WEIGHTED} only. */
        public Builder endpoint(String id, int weight) {
            endpoints.add(new ClusterEndpoint(id, endpoints.size(), weight));
            return this;
        }

        /** A monotonic clock in nanoseconds (tests pass a manual one). */
        public Builder nanoClock(LongSupplier clock) {
            this.nanoClock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The random source of the least-request balancer and the backoff jitter; must be thread-safe. */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        public Builder listener(ResilienceListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** A custom balancer instead of the configured algorithm. */
        public Builder balancer(LoadBalancer balancer) {
            this.balancer = Objects.requireNonNull(balancer, "balancer");
            return this;
        }

        public UpstreamCluster build() {
            return new UpstreamCluster(this);
        }
    }
}
