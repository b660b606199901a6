package io.atrium.edge;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

import java.util.Map;

/**
 * Admin port: readiness. Ready while the data listeners accept connections with a valid config loaded (an edge whose
 * config failed to load never starts). Unlike {@code /health} it turns 503 as soon as draining begins.
 */
@Controller("/ready")
final class ReadyController {

    private final EdgeDataPlane dataPlane;

    ReadyController(EdgeDataPlane dataPlane) {
        this.dataPlane = dataPlane;
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    HttpResponse<Map<String, Object>> ready() {
        boolean ready = dataPlane.isListening();
        Map<String, Object> body = Map.of("status", ready ? "READY" : "NOT_READY", "routes", dataPlane.config().routes().size());
        return ready ? HttpResponse.ok(body) : HttpResponse.<Map<String, Object>>status(HttpStatus.SERVICE_UNAVAILABLE).body(body);
    }
}
