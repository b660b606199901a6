package io.atrium.bff.mobile;

import io.atrium.bff.mobile.fields.MobileFields;
import io.atrium.graphql.bff.BffConfig;
import io.atrium.graphql.bff.BffEndpoint;
import io.atrium.graphql.bff.BffRuntime;
import io.atrium.graphql.bff.DataPath;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.micrometer.core.instrument.Metrics;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.env.Environment;
import jakarta.annotation.PreDestroy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The mobile BFF's runtime (graphql-kit's BFF core) built from {@code atrium.bff.config} at start-up. */
@Context
public final class MobileBff implements AutoCloseable {
    /** The editorial feed of the sample shop, in order. */
    static final List<String> FEED = List.of("1", "2", "3", "4", "5", "6", "7", "8");
    static final String IMAGE_BASE = "https://img.atrium.example";

    private final BffRuntime runtime;
    private final OperationGets operationGets;
    private final DataPath dataPath;

    public MobileBff(@Value("${atrium.bff.config:config/bff/mobile.yaml}") String configFile, Environment environment) {
        BffConfig config = BffConfig.load(Path.of(configFile),
                property -> environment.getProperty(property, String.class).orElse(null));
        this.runtime = new BffRuntime(config, MobileFields.subgraph(FEED, IMAGE_BASE), Metrics.globalRegistry,
                io.atrium.policy.observability.OpenTelemetrySetup.properties(environment));
        this.operationGets = new OperationGets(runtime.endpoint());
        BffEndpoint endpoint = runtime.endpoint();
        this.dataPath = DataPath.builder(config.endpoint().limits().maxRequestBytes())
                .route("POST", "/graphql", request -> endpoint.postOrBatch(request.headers(), request.body(), request.path()))
                .route("GET", "/graphql", request -> endpoint.get(request.headers(), request.rawQuery()))
                .prefix("GET", "/v1/ops/", request -> operationGets.get(request.headers(),
                        QueryStringDecoder.decodeComponent(request.path().substring("/v1/ops/".length())),
                        request.rawQuery() == null ? Map.of()
                                : new QueryStringDecoder(request.rawQuery(), false).parameters(), request.path()))
                .build();
    }

    /** {@code GET /v1/ops/{operationName}}, for the data path and {@link OperationsController}. */
    OperationGets operationGets() {
        return operationGets;
    }

    /**
     * The requests answered on the server's event loop before Micronaut's routing ({@link DataPathInstaller}):
     * {@code POST} and {@code GET /graphql} (one request or a batch) and {@code GET /v1/ops/{operationName}}, through
     * the same kit functions as the controllers, which serve what the data path passes on.
     */
    public DataPath dataPath() {
        return dataPath;
    }

    public BffRuntime runtime() {
        return runtime;
    }

    @PreDestroy
    @Override
    public void close() {
        runtime.close();
    }
}
