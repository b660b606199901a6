package io.atrium.bff.mobile;

import io.atrium.graphql.GraphQLErrorCodes;
import io.atrium.graphql.bff.BffEndpoint;
import io.atrium.graphql.cache.CacheControlMerge;
import io.atrium.graphql.bff.BffResult;
import io.atrium.graphql.http.HeaderLookup;
import io.atrium.graphql.json.JsonReader;
import io.atrium.graphql.json.JsonSyntaxException;
import io.atrium.graphql.json.JsonWriter;
import io.atrium.policy.error.ProblemResponses;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code /graphql}: GraphQL over HTTP (POST and GET) and batches ({@code BffEndpoint#postOrBatch}) when Micronaut
 * routes the request: the data path ({@link MobileBff#dataPath}) answers them first on HTTP/1.1 connections; this
 * serves the rest (HTTP/2, a request behind a framework response on a pipelined connection).
 */
@Controller("/graphql")
final class GraphQLController {
    private final BffEndpoint endpoint;

    GraphQLController(MobileBff bff) {
        this.endpoint = bff.runtime().endpoint();
    }

    @Post(consumes = MediaType.ALL, produces = MediaType.ALL)
    CompletionStage<MutableHttpResponse<byte[]>> post(HttpRequest<?> request, @Body byte[] body) {
        return endpoint.postOrBatch(headers(request), body, request.getPath()).thenApply(result -> response(request, result));
    }

    @Get(produces = MediaType.ALL)
    CompletionStage<MutableHttpResponse<byte[]>> get(HttpRequest<?> request) {
        return endpoint.get(headers(request), request.getUri().getRawQuery()).thenApply(result -> response(request, result));
    }

    static MutableHttpResponse<byte[]> response(HttpRequest<?> request, BffResult result) {
        if (result.status() == 304) {
            MutableHttpResponse<byte[]> notModified = HttpResponse.status(HttpStatus.NOT_MODIFIED);
            result.headers().forEach(notModified::header);
            return notModified;
        }
        return ProblemResponses.answer(request, result.status(), result.headers(), result.body());
    }

    static HeaderLookup headers(HttpRequest<?> request) {
        return name -> request.getHeaders().get(name);
    }
}
