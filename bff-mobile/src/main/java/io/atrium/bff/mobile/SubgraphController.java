package io.atrium.bff.mobile;

import io.atrium.graphql.bff.BffEndpoint;
import io.atrium.graphql.subgraph.FederatedSubgraph;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import java.util.concurrent.CompletionStage;

/** {@code POST /subgraph}: the mobile fields' subgraph, called by the router (not routed by the edge). */
@Controller("/subgraph")
final class SubgraphController {
    private final FederatedSubgraph fields;

    SubgraphController(MobileBff bff) {
        this.fields = bff.runtime().fields();
    }

    @Post(consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    CompletionStage<MutableHttpResponse<byte[]>> post(HttpRequest<?> request, @Body byte[] body) {
        return BffEndpoint.subgraph(fields, GraphQLController.headers(request), body)
                .thenApply(result -> GraphQLController.response(request, result));
    }
}
