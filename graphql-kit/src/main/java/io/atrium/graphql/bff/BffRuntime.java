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

    public BffRuntime(BffConfig config, FederatedSubgraph fields, MeterRegistry registry) {
        this.fields = fields;
        this.views = new ViewFollower(config, http);
        this.endpoint = new BffEndpoint(config, views, http, registry);
        views.start();
        if (config.subgraph() != null && fields != null) {
            new SubgraphPublisher(config, http, fields).publish().thenRun(views::pollSoon);
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
        views.close();
        endpoint.close();
        http.close();
    }
}
