package io.atrium.edge.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The data path's meters, created once per route at config load so that recording costs no lookup:
 * <ul>
 *   <li>{@code atrium.edge.requests} (timer, histogram): every exchange by {@code route} and {@code status} class
 *       ({@code 2xx} ... {@code 5xx}, {@code none} when the client left before a response)</li>
 *   <li>{@code atrium.edge.upstream.latency} (timer, histogram): request head sent to response head, by {@code route}
 *       and {@code cluster}</li>
 * </ul>
 * Gauges of the data path and clusters are registered by the server ({@code atrium.edge.exchanges.active},
 * {@code atrium.edge.upstream.connections.opened}, {@code atrium.edge.cluster.endpoints}).
 */
public final class EdgeMetrics {

    /** The route tag of requests that matched no route (or could not be parsed). */
    public static final String NO_ROUTE = "none";

    private static final String[] CLASSES = {"none", "1xx", "2xx", "3xx", "4xx", "5xx"};
    private static final Duration MIN_EXPECTED = Duration.ofMillis(1);
    private static final Duration MAX_EXPECTED = Duration.ofSeconds(30);

    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, RouteMeters> routes = new ConcurrentHashMap<>();
    private final Counter accessLogDropped;
    private final java.util.Set<String> registered = ConcurrentHashMap.newKeySet();

    public EdgeMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry);
        this.accessLogDropped = Counter.builder("atrium.edge.access_log.dropped")
                .description("Access log lines dropped because the writer fell behind").register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The meters of a route (shared by every config generation that has a route of this name and cluster). */
    public RouteMeters route(String route, String cluster) {
        return routes.computeIfAbsent(route + "\u0000" + cluster, k -> new RouteMeters(route, cluster));
    }

    /** True the first time {@code key} is passed: for meters registered once per name across reloads. */
    public boolean firstRegistration(String key) {
        return registered.add(key);
    }

    Counter accessLogDropped() {
        return accessLogDropped;
    }

    /** The meters of one route. */
    public final class RouteMeters {

        private final Timer[] requests = new Timer[CLASSES.length];
        private final Timer upstream;

        RouteMeters(String route, String cluster) {
            for (int i = 0; i < CLASSES.length; i++) {
                requests[i] = Timer.builder("atrium.edge.requests")
                        .description("Exchanges from the first request byte to the last response byte")
                        .tag("route", route).tag("status", CLASSES[i])
                        .publishPercentileHistogram().minimumExpectedValue(MIN_EXPECTED).maximumExpectedValue(MAX_EXPECTED)
                        .register(registry);
            }
            upstream = cluster == null ? null : Timer.builder("atrium.edge.upstream.latency")
                    .description("Upstream request head sent to response head received")
                    .tag("route", route).tag("cluster", cluster)
                    .publishPercentileHistogram().minimumExpectedValue(MIN_EXPECTED).maximumExpectedValue(MAX_EXPECTED)
                    .register(registry);
        }

        /** Records one exchange; {@code status} 0 means no response was sent. */
        public void exchange(int status, long nanos) {
            int index = status < 100 || status > 599 ? 0 : status / 100;
            requests[index].record(nanos, TimeUnit.NANOSECONDS);
        }

        public void upstream(long nanos) {
            if (upstream != null) {
                upstream.record(nanos, TimeUnit.NANOSECONDS);
            }
        }
    }
}
