package io.atrium.router.http;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

/** {@code /health}: 200 once a supergraph is live, 503 before. */
@Controller
public final class HealthController {
    private final SupergraphManager manager;

    public HealthController(SupergraphManager manager) {
        this.manager = manager;
    }

    @Get(uri = "/health", produces = MediaType.APPLICATION_JSON)
    public HttpResponse<String> health() {
        LiveSupergraph live = manager.current();
        if (live == null) {
            return HttpResponse.<String>status(HttpStatus.SERVICE_UNAVAILABLE)
                    .body("{\"status\":\"DOWN\",\"reason\":\"no supergraph loaded\"}");
        }
        return HttpResponse.ok("{\"status\":\"UP\",\"supergraph\":\"" + live.supergraph().version() + "\"}");
    }
}
