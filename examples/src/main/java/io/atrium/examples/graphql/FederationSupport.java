package io.atrium.examples.graphql;

import com.apollographql.federation.graphqljava.Federation;
import graphql.schema.DataFetcher;
import graphql.schema.GraphQLSchema;
import graphql.schema.TypeResolver;
import graphql.schema.idl.RuntimeWiring;


/**
 * Turns a Federation v2 subgraph SDL into an executable subgraph schema with federation-jvm: it adds
 * {@code _service { sdl }} and {@code _entities(representations:)} as the federation spec defines them.
 *
 * <p>federation-jvm 6.0.0 is compiled against graphql-java 25 and is binary-incompatible with 26
 * ({@code GraphQLSchema.Builder.additionalType} changed its parameter type, {@code DirectiveInfo} is gone), so this
 * module pins graphql-java 25 (see its pom) — what any team writing a subgraph with federation-jvm does today.
 */
final class FederationSupport {

    private FederationSupport() {
    }

    static GraphQLSchema transform(String sdl, RuntimeWiring.Builder wiring, DataFetcher<?> entities,
            TypeResolver entityType) {
        return Federation.transform(sdl, wiring.build())
                .fetchEntities(entities)
                .resolveEntityType(entityType)
                .build();
    }
}
