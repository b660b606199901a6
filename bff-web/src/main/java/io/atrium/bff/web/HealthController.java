package io.atrium.bff.web;

import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

/** Liveness for the launcher, compose and load balancers; the BFF has no dependencies it must wait for. */
@Controller("/health")
class HealthController {

    @Get(produces = MediaType.APPLICATION_JSON)
    String health() {
        return "{\"status\":\"UP\"}";
    }
}
