package io.atrium.router.connector.rest.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.atrium.router.compose.Composer;
import io.atrium.router.compose.CompositionResult;
import io.atrium.router.compose.SubgraphSource;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code x-atrium-field} with {@code batch}: a GET taking many keys becomes a {@code @connect} on the entity type reading
 * {@code $batch}; it replaces a one-call-per-entity form of the same field, and a batch that cannot work is refused
 * naming the operation.
 */
class OpenApiBatchTest {

    private static final String SPEC = """
            openapi: 3.1.0
            info: {title: reviews, version: "1"}
            servers: [{url: "http://reviews.invalid"}]
            paths:
              /reviews:
                get:
                  operationId: reviewsOfProduct
                  parameters: [{name: productId, in: query, schema: {type: string}}]
                  x-atrium-field: {type: Product, key: upc, keyType: "String!", field: reviews, arguments: {productId: upc}}
                  responses:
                    "200":
                      description: one product's reviews
                      content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/Review"}}}}
              /reviews-by-product:
                get:
                  operationId: reviewsByProduct
                  parameters:
                    - {name: upc, in: query, required: true, schema: %s}
                  x-atrium-field:
                    {type: Product, key: upc, keyType: "String!", field: reviews, arguments: {upc: upc}, batch: {key: product, value: items}}
                  responses:
                    "200":
                      description: reviews grouped by product
                      content:
                        application/json:
                          schema:
                            type: array
                            items:
                              type: object
                              properties:
                                product: {type: string}
                                items: {type: array, items: {$ref: "#/components/schemas/Review"}}
            components:
              schemas:
                Review:
                  type: object
                  properties:
                    id: {type: string}
                    stars: {type: integer}
            """;

    private static String generate(String parameterSchema) {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        var api = new OpenAPIV3Parser().readContents(SPEC.formatted(parameterSchema), null, options).getOpenAPI();
        return OpenApiGenerator.generate(api, OpenApiGenerator.Options.DEFAULTS);
    }

    @Test
    void theBatchedConnectorReplacesTheOneCallPerEntityFormAndComposes() {
        String sdl = generate("{type: array, items: {type: string}, maxItems: 20}");

        assertThat(sdl).contains("""
                type Product @key(fields: "upc")
                  @connect(
                    source: "api"
                    http: { GET: "/reviews-by-product", queryParams: "upc: $batch.upc" }
                    batch: { maxSize: 20 }
                    selection: \"""upc: product reviews: items { id stars }\"""
                  ) {
                  upc: String!
                  reviews: [Review]
                }""")
                .doesNotContain("$this").doesNotContain("reviewsByProduct")
                .contains("reviewsOfProduct(productId: String): [Review]");
        CompositionResult result = Composer.compose(List.of(new SubgraphSource("reviews", "http://reviews.invalid", sdl)));
        assertThat(result).as(sdl).isInstanceOf(CompositionResult.Composed.class);
    }

    @Test
    void aBatchNeedsAnArrayOfKeys() {
        assertThatThrownBy(() -> generate("{type: string}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reviewsByProduct").hasMessageContaining("upc must be an array");
    }
}
