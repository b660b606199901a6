package io.atrium.bff.mobile;

import io.atrium.graphql.GraphQLErrorCodes;
import io.atrium.graphql.bff.BffEndpoint;
import io.atrium.graphql.cache.CacheControlMerge;
import io.atrium.graphql.bff.BffResult;
import io.atrium.graphql.http.HeaderLookup;
import io.atrium.graphql.json.JsonReader;
import io.atrium.graphql.json.JsonSyntaxException;
import io.atrium.graphql.json.JsonWriter;
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
 * {@code /graphql}: GraphQL over HTTP (POST and GET) through the BFF core, and batches: a JSON array of requests is run
 * concurrently and answered with one array, in request order (each element as it would be answered alone), with one
 * {@code Cache-Control} merged restrictively from the elements' ({@code no-store} when one failed).
 */
@Controller("/graphql")
final class GraphQLController {
    static final int MAX_BATCH = 10;

    private final BffEndpoint endpoint;

    GraphQLController(MobileBff bff) {
        this.endpoint = bff.runtime().endpoint();
    }

    @Post(consumes = MediaType.ALL, produces = MediaType.ALL)
    CompletionStage<MutableHttpResponse<byte[]>> post(HttpRequest<?> request, @Body byte[] body) {
        HeaderLookup headers = headers(request);
        byte[] bytes = body == null ? new byte[0] : body;
        if (firstByte(bytes) == '[') {
            return batch(request, headers, bytes);
        }
        return endpoint.post(headers, bytes).thenApply(result -> response(request, result));
    }

    @Get(produces = MediaType.ALL)
    CompletionStage<MutableHttpResponse<byte[]>> get(HttpRequest<?> request) {
        HeaderLookup headers = headers(request);
        String raw = request.getUri().getRawQuery();
        return endpoint.get(headers, raw).thenApply(result -> response(request, result));
    }

    private CompletionStage<MutableHttpResponse<byte[]>> batch(HttpRequest<?> request, HeaderLookup headers, byte[] body) {
        List<?> items;
        try {
            items = JsonReader.read(body) instanceof List<?> list ? list : List.of();
        } catch (JsonSyntaxException e) {
            return CompletableFuture.completedFuture(response(request, BffResult.errors(400, Map.of("cache-control", "no-store"),
                    GraphQLErrorCodes.BAD_REQUEST, "the batch is not valid JSON: " + e.getMessage())));
        }
        if (items.isEmpty() || items.size() > MAX_BATCH) {
            return CompletableFuture.completedFuture(Problems.problem(Problems.BATCH_TOO_LARGE, "a batch holds 1 to "
                    + MAX_BATCH + " operations; this one has " + items.size(), request));
        }
        List<CompletableFuture<BffResult>> results = new ArrayList<>();
        for (Object item : items) {
            results.add((item instanceof Map<?, ?> ? endpoint.post(headers, JsonWriter.write(item))
                    : CompletableFuture.completedFuture(BffResult.errors(400, Map.of(), GraphQLErrorCodes.BAD_REQUEST,
                    "each batch element must be a GraphQL request object"))).toCompletableFuture());
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).thenApply(done -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write('[');
            for (int i = 0; i < results.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                out.writeBytes(results.get(i).join().body());
            }
            out.write(']');
            List<String> policies = results.stream().map(r -> r.join().headers().get("cache-control")).toList();
            boolean failed = results.stream().anyMatch(r -> r.join().status() != 200);
            return HttpResponse.<byte[]>status(HttpStatus.OK).body(out.toByteArray())
                    .contentType(MediaType.APPLICATION_JSON)
                    .header("cache-control", CacheControlMerge.merge(policies, failed));
        });
    }

    static MutableHttpResponse<byte[]> response(HttpRequest<?> request, BffResult result) {
        MutableHttpResponse<byte[]> response = HttpResponse.<byte[]>status(HttpStatus.valueOf(result.status()))
                .body(result.body()).contentType(result.headers().getOrDefault("content-type", MediaType.APPLICATION_JSON));
        result.headers().forEach((name, value) -> {
            if (!name.equals("content-type")) {
                response.header(name, value);
            }
        });
        return Problems.own(request, response);
    }

    static HeaderLookup headers(HttpRequest<?> request) {
        return name -> request.getHeaders().get(name);
    }

    private static int firstByte(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return b;
            }
        }
        return -1;
    }
}
