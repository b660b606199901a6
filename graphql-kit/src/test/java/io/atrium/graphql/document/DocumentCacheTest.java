package io.atrium.graphql.document;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import io.atrium.graphql.GraphQLErrorCodes;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Parsing with the token cut-off, measurements for the limits, deferred validation. */
class DocumentCacheTest {
    static final GraphQLSchema SCHEMA = new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse("""
            type Query { users: [User] user(id: ID): User topProducts: [Product] }
            type User { id: ID name: String reviews: [Review] }
            type Review { body: String author: User product: Product }
            type Product { upc: String name: String reviews: [Review] }
            """), RuntimeWiring.MOCKED_WIRING);

    private static OperationMeasurements measure(String query) {
        ParsedDocument parsed = new DocumentCache(SCHEMA, 10_000, 1_000, 10).get(query);
        assertThat(parsed.errors()).isEmpty();
        return parsed.measurements(OperationSelector.select(parsed.document(), null).operation());
    }

    @Test
    void aStaticCostIsEstimatedOncePerCachedDocument() {
        DocumentCache cache = new DocumentCache(SCHEMA, 10_000, 1_000, 10);
        java.util.concurrent.atomic.AtomicInteger estimates = new java.util.concurrent.atomic.AtomicInteger();
        for (int i = 0; i < 3; i++) {
            ParsedDocument parsed = cache.get("{ users { id } }");
            var operation = OperationSelector.select(parsed.document(), null).operation();
            Integer cost = parsed.staticCost(operation, op -> 10 + estimates.incrementAndGet());
            assertThat(cost).isEqualTo(11);
        }
        assertThat(estimates).hasValue(1);
    }

    @Test
    void depthCountsFieldNestingThroughFragmentsWithTheRootFieldAtOne() {
        assertThat(measure("{ users { id } }").depth()).isEqualTo(2);
        assertThat(measure("{ users { ...U } } fragment U on User { reviews { ... on Review { author { id } } } }").depth())
                .isEqualTo(4);
    }

    @Test
    void heightCountsUniqueFieldsWithAliasesOfOneFieldOnce() {
        assertThat(measure("{ users { id name } topProducts { upc } }").height()).isEqualTo(5);
        assertThat(measure("{ a: users { id } b: users { id name } }").height()).isEqualTo(3);
        assertThat(measure("{ users { ...U ...U id } } fragment U on User { id name }").height()).isEqualTo(3);
    }

    @Test
    void aliasesRootFieldsAndDirectivesAreCountedThroughFragments() {
        OperationMeasurements m = measure("query Q($x: Boolean = true) @a { a: users @include(if: $x) { ...U } "
                + "b: users { ...U } topProducts { upc @skip(if: false) } } fragment U on User @b { n: name }");
        assertThat(m.aliases()).isEqualTo(4); // a, b and the fragment's n twice
        assertThat(m.rootFields()).isEqualTo(3);
        assertThat(m.directives()).isEqualTo(5); // @a, @include, @skip and the fragment's @b at each of its two spreads
    }

    @Test
    void aFragmentBombIsMeasuredWithoutExpandingIt() {
        StringBuilder doc = new StringBuilder("{ users { ...F0 } }");
        for (int i = 0; i < 40; i++) {
            doc.append(" fragment F").append(i).append(" on User { a").append(i).append(": reviews { author { ...F")
                    .append(i + 1).append(" } } b").append(i).append(": reviews { author { ...F").append(i + 1).append(" } } }");
        }
        doc.append(" fragment F40 on User { id }");
        long started = System.nanoTime();
        OperationMeasurements m = measure(doc.toString());
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        assertThat(m.aliases()).isGreaterThan(1L << 40);
        assertThat(m.depth()).isEqualTo(1 + 40 * 2 + 1);
    }

    @Test
    void aFragmentCycleIsMeasuredAndLeftToValidation() {
        ParsedDocument parsed = new DocumentCache(SCHEMA, 10_000, 50, 10).get(
                "{ users { ...A } } fragment A on User { reviews { author { ...A } } }");
        OperationMeasurements m = parsed.measurements(OperationSelector.select(parsed.document(), null).operation());
        assertThat(m.height()).isEqualTo(50); // stopped at the cap
        assertThat(parsed.validationErrors()).isNotEmpty();
    }

    @Test
    void parsingStopsAtTheTokenLimit() {
        String sevenTokens = "{ users { id name } }";
        assertThat(new DocumentCache(SCHEMA, 10_000, 100, 10).get(sevenTokens).tokens()).isEqualTo(7);
        assertThat(new DocumentCache(SCHEMA, 7, 100, 10).get(sevenTokens).errors()).isEmpty();
        var refused = new DocumentCache(SCHEMA, 6, 100, 10).get(sevenTokens);
        assertThat(refused.parsed()).isFalse();
        assertThat(refused.errors().getFirst().get("extensions").toString()).contains(GraphQLErrorCodes.MAX_TOKENS_LIMIT);
    }

    @Test
    void validationIsDeferredAndKept() {
        ParsedDocument parsed = new DocumentCache(SCHEMA, 10_000, 100, 10).get("{ nope }");
        assertThat(parsed.parsed()).isTrue();
        assertThat(parsed.validationErrors()).hasSize(1);
        assertThat(parsed.validationErrors()).isSameAs(parsed.validationErrors());
        assertThat(parsed.validationErrors().getFirst().get("message").toString()).doesNotContain("Did you mean");
    }

    @Test
    void operationSelectionNamesTheProblem() {
        var document = new DocumentCache(SCHEMA, 10_000, 100, 10).get("query A { users { id } } query B { users { id } }")
                .document();
        assertThat(OperationSelector.select(document, null).problem()).contains("operationName");
        assertThat(OperationSelector.select(document, "C").problem()).contains("'C'");
        assertThat(OperationSelector.select(document, "B").operation().getName()).isEqualTo("B");
    }
}
