package io.atrium.examples.orders;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/** Echoes the {@code X-Request-Id} the orders service received on every response, as many real services do. */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
@Requires(beans = OrderStore.class)
final class RequestIdFilter {

    static final String REQUEST_ID = "X-Request-Id";

    @ResponseFilter
    void echoRequestId(HttpRequest<?> request, MutableHttpResponse<?> response) {
        String requestId = request.getHeaders().get(REQUEST_ID);
        if (requestId != null) {
            response.header(REQUEST_ID, requestId);
        }
    }
}
