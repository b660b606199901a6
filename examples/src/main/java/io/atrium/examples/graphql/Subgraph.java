package io.atrium.examples.graphql;

import graphql.ExecutionInput;
import graphql.GraphQL;
import graphql.schema.GraphQLSchema;
import io.atrium.examples.ExampleService;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** One federation subgraph: its executable schema and the GraphQL engine serving it. */
public final class Subgraph {

    private final ExampleService service;
    private final GraphQLSchema schema;
    private final GraphQL graphQL;

    Subgraph(ExampleService service, GraphQLSchema schema) {
        this.service = service;
        this.schema = schema;
        this.graphQL = GraphQL.newGraphQL(schema).preparsedDocumentProvider(new DocumentCache()).build();
    }

    public ExampleService service() {
        return service;
    }

    public GraphQLSchema schema() {
        return schema;
    }

    /** Executes one operation; the result is the GraphQL response map ({@code data}, {@code errors}). */
    public CompletableFuture<Map<String, Object>> execute(GraphQLRequest request) {
        ExecutionInput input = ExecutionInput.newExecutionInput()
                .query(request.query())
                .operationName(request.operationName())
                .variables(request.variables() == null ? Map.of() : request.variables())
                .build();
        return graphQL.executeAsync(input).thenApply(result -> result.toSpecification());
    }
}
