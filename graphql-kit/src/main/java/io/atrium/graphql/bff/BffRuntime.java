package io.atrium.graphql.bff;

import io.atrium.graphql.subgraph.FederatedSubgraph;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpClient;
import java.time.Duration;

/**
 * Everything one BFF runs, started together: the view following the registry, the GraphQL pipeline, and the BFF's own
 * fields (served by the app at its subgraph path, published to the registry at start). The apps wrap it in a bean.
 */
public final class BffRuntime implements AutoCloseable {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ViewFollower views;
    private final BffEndpoint endpoint;
    private final FederatedSubgraph fields;
    private final SubgraphPublisher publisher;

    public BffRuntime(BffConfig config, FederatedSubgraph fields, MeterRegistry registry) {
        this(config, fields, registry, java.util.Map.of());
    }

    /**
     * @param otel {@code otel.*} properties (over {@code OTEL_*}): OpenTelemetry spans of this BFF when they name an
     *             OTLP endpoint ({@code io.atrium.policy.observability.OpenTelemetrySetup})
     */
    public BffRuntime(BffConfig config, FederatedSubgraph fields, MeterRegistry registry, java.util.Map<String, String> otel) {
        this.fields = fields;
        this.views = new ViewFollower(config, http);
        this.endpoint = new BffEndpoint(config, views, http, registry, BffTracing.configure(config.name(), otel));
        views.start();
        this.publisher = config.subgraph() != null && fields != null ? new SubgraphPublisher(config, http, fields) : null;
        if (publisher != null) {
            publisher.publish().thenRun(views::pollSoon);
        }
    }

    public BffEndpoint endpoint() {
        return endpoint;
    }

    /** The BFF's own fields (null when it has none). */
    public FederatedSubgraph fields() {
        return fields;
    }

    public ViewFollower views() {
        return views;
    }

    @Override
    public void close() {
        if (publisher != null) {
            publisher.stop();
        }
        views.close();
        endpoint.close();
        http.close();
    }
}
