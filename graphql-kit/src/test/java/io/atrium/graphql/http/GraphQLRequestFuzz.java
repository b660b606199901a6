package io.atrium.graphql.http;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import graphql.language.OperationDefinition;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import io.atrium.graphql.document.DocumentCache;
import io.atrium.graphql.document.ParsedDocument;

/**
 * What every Atrium GraphQL endpoint does with a request before planning: GraphQL-over-HTTP parsing of the body
 * (JSON, content types, extensions), then parsing the document with the token cut-off and measuring each operation
 * for the limits. Any bytes must end in a parsed request or a refusal, never an exception.
 */
class GraphQLRequestFuzz {
    private static final GraphQLSchema SCHEMA = new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse("""
            type Query { product(upc: ID!): Product, products(first: Int = 5): [Product!]! }
            type Product { upc: ID!, name: String, price: Int, related: [Product!]!, reviews: [Review!]! }
            type Review { body: String!, product: Product }
            type Mutation { review(upc: ID!, body: String!): Review }
            """), RuntimeWiring.MOCKED_WIRING);
    private static final DocumentCache DOCUMENTS = new DocumentCache(SCHEMA, 1_000, 64, 64);
    private static final String[] CONTENT_TYPES = {"application/json", "application/json; charset=utf-8",
            "application/graphql-response+json", "text/plain", "application/x-www-form-urlencoded", ""};

    @FuzzTest
    void everyRequestIsParsedOrRefused(FuzzedDataProvider data) {
        String contentType = data.pickValue(CONTENT_TYPES);
        String accept = data.consumeString(40);
        boolean get = data.consumeBoolean();
        HeaderLookup headers = name -> switch (name) {
            case "content-type" -> contentType.isEmpty() ? null : contentType;
            case "accept" -> accept;
            default -> null;
        };
        HttpParseResult result = get ? GraphQLHttpParser.get(headers, data.consumeRemainingAsString())
                : GraphQLHttpParser.post(headers, data.consumeRemainingAsBytes());
        if (result instanceof HttpParseResult.Parsed parsed && parsed.request().query() != null) {
            ParsedDocument document = DOCUMENTS.get(parsed.request().query());
            if (document.parsed()) {
                document.document().getDefinitionsOfType(OperationDefinition.class).forEach(document::measurements);
            }
        }
    }
}
