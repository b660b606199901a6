package io.atrium.examples.graphql;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** GraphQL over HTTP (POST, JSON in and out) for the one subgraph of this context. */
@Controller
@Requires(beans = Subgraph.class)
final class GraphQLController {

    private final Subgraph subgraph;

    GraphQLController(Subgraph subgraph) {
        this.subgraph = subgraph;
    }

    @Post(uri = "/graphql", consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
    CompletableFuture<HttpResponse<Map<String, Object>>> graphql(@Body GraphQLRequest request) {
        if (request.query() == null || request.query().isBlank()) {
            Map<String, Object> error = Map.of("errors", List.of(Map.of(
                    "message", "The request has no query: send {\"query\": \"...\"} as JSON.")));
            return CompletableFuture.completedFuture(HttpResponse.badRequest(error));
        }
        return subgraph.execute(request).thenApply(HttpResponse::ok);
    }
}
