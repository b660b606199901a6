package io.atrium.examples.http;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import java.util.Map;

/** {@code GET /health} of every HTTP sample service. */
@Controller
@Requires(property = HttpServices.SERVICE_PROPERTY)
final class HealthController {

    private static final Map<String, String> UP = Map.of("status", "UP");

    @Get(uri = "/health", produces = MediaType.APPLICATION_JSON)
    Map<String, String> health() {
        return UP;
    }
}
