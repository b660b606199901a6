package io.atrium.bff.web;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import jakarta.annotation.PreDestroy;

/**
 * {@code GET /metrics}: the BFF's meters ({@code atrium.bff.*}, graphql-kit's {@code atrium.graphql.*}) in
 * Prometheus' text format. Not routed by the edge: scraped on the BFF's own port inside the network.
 */
@io.micronaut.context.annotation.Context
@Controller("/metrics")
final class MetricsController {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    MetricsController() {
        Metrics.addRegistry(registry);
    }

    @Get(produces = "text/plain; version=0.0.4; charset=utf-8")
    String scrape() {
        return registry.scrape();
    }

    @PreDestroy
    void close() {
        Metrics.removeRegistry(registry);
        registry.close();
    }
}
