package io.atrium.edge;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

/** Admin port: Prometheus metrics of the data path and the policies. */
@Controller("/metrics")
final class MetricsController {

    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;

    MetricsController(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @Get(produces = PROMETHEUS_TEXT)
    HttpResponse<String> scrape() {
        return HttpResponse.ok(registry.scrape());
    }
}
