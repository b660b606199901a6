package io.atrium.examples.orders;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /openapi.yaml}: the orders API's OpenAPI 3.1 document, which the gateway turns into the orders
 * connector subgraph ({@code ./atrium connector openapi http://127.0.0.1:4010/openapi.yaml}).
 */
@Controller
@Requires(beans = OrderStore.class)
final class OpenApiController {

    private final byte[] document;

    OpenApiController() {
        try (InputStream in = OpenApiController.class.getResourceAsStream("openapi.yaml")) {
            document = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Get(uri = "/openapi.yaml", produces = "application/yaml")
    HttpResponse<byte[]> openapi() {
        return HttpResponse.ok(document);
    }
}
