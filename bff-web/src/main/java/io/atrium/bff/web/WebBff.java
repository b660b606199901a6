package io.atrium.bff.web;

import io.atrium.bff.web.fields.WebFields;
import io.atrium.graphql.bff.BffConfig;
import io.atrium.graphql.bff.BffRuntime;
import io.micrometer.core.instrument.Metrics;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.env.Environment;
import jakarta.annotation.PreDestroy;
import java.nio.file.Path;
import java.util.List;

/** The web BFF's runtime (graphql-kit's BFF core) built from {@code atrium.bff.config} at start-up. */
@Context
public final class WebBff implements AutoCloseable {
    /** The sample shop's products in display order (related products on a product page are the next ones). */
    static final List<String> CATALOGUE = List.of("1", "2", "3", "4", "5", "6", "7", "8");

    private final BffRuntime runtime;

    public WebBff(@Value("${atrium.bff.config:config/bff/web.yaml}") String configFile, Environment environment) {
        BffConfig config = BffConfig.load(Path.of(configFile),
                property -> environment.getProperty(property, String.class).orElse(null));
        this.runtime = new BffRuntime(config, WebFields.subgraph(CATALOGUE), Metrics.globalRegistry,
                io.atrium.policy.observability.OpenTelemetrySetup.properties(environment));
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
