package io.atrium.bff.mobile;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /v1/ops/{operationName}} ({@link OperationGets}) when Micronaut routes the request: the data path
 * ({@link MobileBff#dataPath}) answers it first on HTTP/1.1 connections; this serves the rest (HTTP/2, a request
 * behind a framework response on a pipelined connection).
 */
@Controller("/v1/ops")
final class OperationsController {
    private final OperationGets gets;

    OperationsController(MobileBff bff) {
        this.gets = bff.operationGets();
    }

    @Get("/{operationName}")
    CompletionStage<MutableHttpResponse<byte[]>> get(HttpRequest<?> request, @PathVariable String operationName) {
        return gets.get(GraphQLController.headers(request), operationName, request.getParameters().asMap(),
                request.getPath()).thenApply(result -> GraphQLController.response(request, result));
    }
}
