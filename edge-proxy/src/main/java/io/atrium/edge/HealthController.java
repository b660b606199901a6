package io.atrium.edge;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.serde.annotation.Serdeable;

/** Admin port: liveness of the data path. */
@Controller("/health")
final class HealthController {

    private final EdgeDataPlane dataPlane;

    HealthController(EdgeDataPlane dataPlane) {
        this.dataPlane = dataPlane;
    }

    @Get(produces = MediaType.APPLICATION_JSON)
    HttpResponse<Health> health() {
        if (!dataPlane.isListening()) {
            return HttpResponse.<Health>status(HttpStatus.SERVICE_UNAVAILABLE).body(Health.DOWN);
        }
        return HttpResponse.ok(Health.UP);
    }

    @Serdeable
    record Health(String status) {
        static final Health UP = new Health("UP");
        static final Health DOWN = new Health("DOWN");
    }
}
