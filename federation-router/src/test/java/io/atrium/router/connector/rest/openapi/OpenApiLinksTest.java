package io.atrium.router.connector.rest.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.atrium.router.compose.Composer;
import io.atrium.router.compose.CompositionResult;
import io.atrium.router.compose.SubgraphSource;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Entity keys from OpenAPI {@code links}: a response of schema {@code S} linking to the GET that answers {@code S}
 * with body properties as its parameters makes {@code S} an entity keyed by those properties, resolved by that GET.
 */
class OpenApiLinksTest {
    private static final String SPEC = """
            openapi: 3.1.0
            info: {title: shop, version: "1"}
            servers: [{url: "http://shop.invalid"}]
            paths:
              /orders:
                post:
                  operationId: createOrder
                  requestBody:
                    content: {application/json: {schema: {$ref: "#/components/schemas/NewOrder"}}}
                  responses:
                    "201":
                      description: created
                      content: {application/json: {schema: {$ref: "#/components/schemas/Order"}}}
                      links:
                        GetOrder: {operationId: getOrder, parameters: {orderId: "$response.body#/id"}}
                        # a request value, not a body property: says nothing about keys
                        Again: {operationId: getOrder, parameters: {orderId: "$request.path.orderId"}}
              /orders/{orderId}:
                get:
                  operationId: getOrder
                  parameters: [{name: orderId, in: path, required: true, schema: {type: string}}]
                  responses:
                    "200":
                      description: ok
                      content: {application/json: {schema: {$ref: "#/components/schemas/Order"}}}
              /shipments:
                post:
                  operationId: ship
                  responses:
                    "200":
                      description: shipped
                      content: {application/json: {schema: {$ref: "#/components/schemas/Shipment"}}}
                      links:
                        Track: {$ref: "#/components/links/TrackShipment"}
              /shipments/{carrier}/{tracking}:
                get:
                  operationId: getShipment
                  parameters:
                    - {name: carrier, in: path, required: true, schema: {type: string}}
                    - {name: tracking, in: path, required: true, schema: {type: string}}
                  responses:
                    "200":
                      description: ok
                      content: {application/json: {schema: {$ref: "#/components/schemas/Shipment"}}}
              /invoices:
                post:
                  operationId: invoice
                  responses:
                    "200":
                      description: invoiced
                      content: {application/json: {schema: {$ref: "#/components/schemas/Invoice"}}}
                      links:
                        # the linked operation answers Order, not Invoice: no key for Invoice
                        OrderOf: {operationId: getOrder, parameters: {orderId: "$response.body#/orderId"}}
              /invoices/{invoiceId}:
                get:
                  operationId: getInvoice
                  parameters: [{name: invoiceId, in: path, required: true, schema: {type: string}}]
                  responses:
                    "200":
                      description: ok
                      content: {application/json: {schema: {$ref: "#/components/schemas/Invoice"}}}
            components:
              links:
                TrackShipment:
                  operationRef: "#/paths/~1shipments~1{carrier}~1{tracking}/get"
                  parameters: {carrier: "$response.body#/carrier", tracking: "$response.body#/trackingNumber"}
              schemas:
                NewOrder:
                  type: object
                  properties: {total: {type: integer}}
                Order:
                  type: object
                  required: [id]
                  properties: {id: {type: string}, total: {type: integer}}
                Shipment:
                  type: object
                  required: [carrier, trackingNumber]
                  properties: {carrier: {type: string}, trackingNumber: {type: string}, status: {type: string}}
                Invoice:
                  type: object
                  properties: {id: {type: string}, orderId: {type: string}}
            """;
    private static String sdl;

    @BeforeAll
    static void generate() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        var parsed = new OpenAPIV3Parser().readContents(SPEC, null, options);
        assertThat(parsed.getMessages()).isEmpty();
        sdl = OpenApiGenerator.generate(parsed.getOpenAPI(), OpenApiGenerator.Options.DEFAULTS);
    }

    /** The generated field {@code name} with its {@code @connect}. */
    private static String field(String name) {
        int start = sdl.indexOf("  " + name + "(");
        assertThat(start).as(sdl).isNotNegative();
        return sdl.substring(start, sdl.indexOf("\n    )", start));
    }

    @Test
    void aLinkFromAResponseToTheGetOfItsSchemaMakesTheSchemaAnEntityResolvedByThatGet() {
        assertThat(sdl).contains("type Order @key(fields: \"id\")");
        // the lookup takes the key under its own name, so entity: true can match it
        assertThat(field("getOrder")).startsWith("  getOrder(id: ID!): Order")
                .contains("GET: \"/orders/{$args.id}\"").contains("entity: true");
    }

    @Test
    void aReferencedLinkWithAnOperationRefGivesACompositeKey() {
        assertThat(sdl).contains("type Shipment @key(fields: \"carrier trackingNumber\")");
        assertThat(field("getShipment")).startsWith("  getShipment(carrier: ID!, trackingNumber: ID!): Shipment")
                .contains("GET: \"/shipments/{$args.carrier}/{$args.trackingNumber}\"").contains("entity: true");
    }

    @Test
    void linksToAnotherSchemasOperationOrWithoutBodyPropertiesGiveNoKey() {
        assertThat(sdl).contains("type Invoice {").doesNotContain("type Invoice @key");
        assertThat(field("getInvoice")).startsWith("  getInvoice(invoiceId: String!): Invoice")
                .doesNotContain("entity: true");
    }

    @Test
    void theGeneratedSubgraphComposes() {
        CompositionResult result = Composer.compose(List.of(new SubgraphSource("shop", "http://shop.invalid", sdl)));
        assertThat(result).as(sdl + "\n" + result).isInstanceOf(CompositionResult.Composed.class);
    }
}
