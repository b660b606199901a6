package io.atrium.bff.mobile;

import io.atrium.bff.mobile.fields.MobileFields;
import io.atrium.graphql.bff.BffConfig;
import io.atrium.graphql.bff.BffRuntime;
import io.micrometer.core.instrument.Metrics;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.env.Environment;
import jakarta.annotation.PreDestroy;
import java.nio.file.Path;
import java.util.List;

/** The mobile BFF's runtime (graphql-kit's BFF core) built from {@code atrium.bff.config} at start-up. */
@Context
public final class MobileBff implements AutoCloseable {
    /** The editorial feed of the sample shop, in order. */
    static final List<String> FEED = List.of("1", "2", "3", "4", "5", "6", "7", "8");
    static final String IMAGE_BASE = "https://img.atrium.example";

    private final BffRuntime runtime;

    public MobileBff(@Value("${atrium.bff.config:config/bff/mobile.yaml}") String configFile, Environment environment) {
        BffConfig config = BffConfig.load(Path.of(configFile),
                property -> environment.getProperty(property, String.class).orElse(null));
        this.runtime = new BffRuntime(config, MobileFields.subgraph(FEED, IMAGE_BASE), Metrics.globalRegistry,
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
