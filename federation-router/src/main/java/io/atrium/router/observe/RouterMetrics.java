package io.atrium.router.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The router's meters and its operation log. Meters are scraped in Prometheus' text format at {@code GET /metrics} on the admin listener. The
 * Prometheus registry joins Micrometer's global registry for the router's lifetime, so graphql-kit's and
 * shared-policies' counters ({@code atrium.graphql.*}, {@code atrium.circuit_breaker.*}, …) are scraped too.
 *
 * <p>Tags stay low-cardinality: operation and client names are what clients send, so only the first
 * {@value #MAX_NAMES} distinct values of each are kept as tags; later ones count as {@code other}.
 */
public final class RouterMetrics implements AutoCloseable {
    static final int MAX_NAMES = 100;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, String> operationNames = new ConcurrentHashMap<>();
    private final Map<String, String> clients = new ConcurrentHashMap<>();
    private final Counter documentHits = cache("document", "hit");
    private final Counter documentMisses = cache("document", "miss");
    private final Counter planHits = cache("plan", "hit");
    private final Counter planMisses = cache("plan", "miss");
    private final Timer planning = Timer.builder("atrium.router.plan.duration")
            .description("planning an operation (plan cache misses)").register(Metrics.globalRegistry);
    private final Timer execution = Timer.builder("atrium.router.execution.duration")
            .description("executing a plan: subgraph fetches, merging, shaping the response").register(Metrics.globalRegistry);

    private final io.micrometer.core.instrument.DistributionSummary batches = io.micrometer.core.instrument.DistributionSummary
            .builder("atrium.router.batch.size").description("batched requests (a JSON array of operations) and their sizes")
            .register(Metrics.globalRegistry);

    private final OperationLog operations;

    public RouterMetrics() {
        Metrics.globalRegistry.add(registry);
        this.operations = new OperationLog();
    }

    /** The per-operation log line. */
    public OperationLog operations() {
        return operations;
    }

    private static Counter cache(String cache, String result) {
        return Counter.builder("atrium.router.cache").description("document (parse + validation) and plan cache lookups")
                .tag("cache", cache).tag("result", result).register(Metrics.globalRegistry);
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    public void documentCache(boolean hit) {
        (hit ? documentHits : documentMisses).increment();
    }

    public void planCache(boolean hit) {
        (hit ? planHits : planMisses).increment();
    }

    /** A batched request of {@code operations} operations (each also counted as a request of its own). */
    public void batch(int operations) {
        batches.record(operations);
    }

    public void planned(long nanos) {
        planning.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    public void executed(long nanos) {
        execution.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /**
     * One client request: {@code atrium.router.requests{operation, client, outcome}} and its duration, and a refusal
     * by a protection ({@code atrium.router.refusals{reason}}) when there was one.
     */
    public void request(String operationName, String clientName, String outcome, String refusal, Duration duration) {
        Timer.builder("atrium.router.requests").description("GraphQL requests by operation name, client name and outcome")
                .tag("operation", bounded(operationNames, operationName)).tag("client", bounded(clients, clientName))
                .tag("outcome", outcome).register(Metrics.globalRegistry).record(duration);
        if (refusal != null) {
            Counter.builder("atrium.router.refusals").description("operations refused by limits, cost, authorization, "
                    + "identity or trusted documents").tag("reason", refusal).register(Metrics.globalRegistry).increment();
        }
    }

    /** One subgraph fetch (across its attempts): {@code atrium.router.subgraph.fetches{subgraph, outcome}}. */
    public static void subgraphFetch(String subgraph, String outcome, long nanos) {
        Timer.builder("atrium.router.subgraph.fetches").description("subgraph fetches (retries included) by outcome")
                .tag("subgraph", subgraph).tag("outcome", outcome).register(Metrics.globalRegistry)
                .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    private static String bounded(Map<String, String> seen, String name) {
        if (name == null || name.isEmpty()) {
            return "none";
        }
        String known = seen.get(name);
        if (known != null) {
            return known;
        }
        if (seen.size() >= MAX_NAMES) {
            return "other";
        }
        String value = name.length() > 64 ? name.substring(0, 64) : name;
        String raced = seen.putIfAbsent(name, value);
        return raced != null ? raced : value;
    }

    @Override
    public void close() {
        operations.close();
        Metrics.globalRegistry.remove(registry);
        registry.close();
    }
}
