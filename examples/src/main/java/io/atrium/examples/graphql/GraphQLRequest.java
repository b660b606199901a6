package io.atrium.examples.graphql;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.Map;

/** A GraphQL-over-HTTP POST body. */
@Serdeable
public record GraphQLRequest(
        @Nullable String query,
        @Nullable String operationName,
        @Nullable Map<String, Object> variables,
        @Nullable Map<String, Object> extensions) {
}
