package io.atrium.graphql.cost;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.parser.Parser;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;
import io.atrium.graphql.document.OperationSelector;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Static cost estimates checked against hand-computed values (default weights, @cost, @listSize). */
class CostEstimatorTest {
    private static final String SDL = """
            schema @link(url: "https://specs.apollo.dev/cost/v0.1", import: ["@cost", "@listSize"]) {
              query: Query mutation: Mutation
            }
            directive @link(url: String, as: String, import: [String]) repeatable on SCHEMA
            directive @cost(weight: Int!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | INPUT_FIELD_DEFINITION | OBJECT | SCALAR
            directive @listSize(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!],
                requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION
            type Query {
              products(first: Int = 5, last: Int): [Product] @listSize(slicingArguments: ["first", "last"], requireOneSlicingArgument: false)
              users: [User]
              search(first: Int): SearchConnection @listSize(slicingArguments: ["first"], sizedFields: ["edges"])
              expensive: Int @cost(weight: 50)
              reviews: [Review] @listSize(assumedSize: 3)
              byIds(ids: [ID!]): [Product] @listSize(slicingArguments: ["ids"])
              page(input: PageInput): [Product] @listSize(slicingArguments: ["input.first", "input.last"])
            }
            input PageInput { first: Int last: Int }
            extend type Query { filtered(where: Filter @cost(weight: 3), tags: [String!] @cost(weight: 2)): Int }
            input Filter { name: String @cost(weight: 4) nested: Filter }
            type Mutation { like: Product }
            type Product { id: ID! name: String price: Money }
            scalar Money @cost(weight: 2)
            type User @cost(weight: 5) { id: ID! name: String }
            type SearchConnection { edges: [Edge] total: Int }
            type Edge { node: Product }
            type Review { body: String author: User }
            """;
    private static final GraphQLSchema SCHEMA = new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(SDL),
            RuntimeWiring.MOCKED_WIRING);
    private static final CostEstimator ESTIMATOR = new CostEstimator(SCHEMA, CostDirectives.read(SDL), 10);

    private static long cost(String query, Map<String, Object> variables) {
        var document = Parser.parse(query);
        return ESTIMATOR.estimate(document, OperationSelector.select(document, null).operation(), variables);
    }

    private static long cost(String query) {
        return cost(query, Map.of());
    }

    @Test
    void slicingArgumentsTheirDefaultsAndVariablesSizeLists() {
        assertThat(cost("{ products { id name } }")).isEqualTo(5);                    // default first: 5 x 1
        assertThat(cost("{ products(first: 20, last: 3) { price } }")).isEqualTo(60); // largest: 20 x (1 + Money 2)
        assertThat(cost("query($n: Int) { products(first: $n) { id } }", Map.of("n", 7))).isEqualTo(7);
    }

    private static String violation(String query, Map<String, Object> variables) {
        var document = Parser.parse(query);
        return ESTIMATOR.estimateChecked(document, OperationSelector.select(document, null).operation(), variables)
                .slicingViolation();
    }

    @Test
    void listArgumentsCountTheirItemsAndPathsReadInputObjects() {
        assertThat(cost("{ byIds(ids: [\"a\", \"b\", \"c\"]) { id } }")).isEqualTo(3);
        assertThat(cost("query($ids: [ID!]) { byIds(ids: $ids) { id } }", Map.of("ids", java.util.List.of("a", "b"))))
                .isEqualTo(2);
        assertThat(cost("{ page(input: {first: 4}) { id } }")).isEqualTo(4 + 1);   // + the input object's 1
        assertThat(cost("query($p: PageInput) { page(input: $p) { id } }", Map.of("p", Map.of("last", 6)))).isEqualTo(6 + 1);
    }

    @Test
    void argumentsAndInputFieldsCostTheirWeightsOncePerCall() {
        assertThat(cost("{ filtered(where: {name: \"x\"}) }")).isEqualTo(7);             // where 3 + name 4
        assertThat(cost("{ filtered(where: {nested: {name: \"y\"}}) }")).isEqualTo(8);   // 3 + nested Filter 1 + name 4
        assertThat(cost("{ filtered(tags: [\"a\", \"b\"]) }")).isEqualTo(6);            // list 2 + items 2 + 2
        assertThat(cost("query($w: Filter) { filtered(where: $w) }", Map.of("w", Map.of("name", "x")))).isEqualTo(7);
        assertThat(cost("query($w: Filter) { filtered(where: $w) }")).isZero();         // no value, no cost
        assertThat(cost("{ filtered(where: null) }")).isZero();
        // an input object argument without @cost costs 1 plus its fields: page(input:) 1 + 4 items x Product 1
        assertThat(cost("{ page(input: {first: 4}) { id } }")).isEqualTo(5);
    }

    @Test
    void requireOneSlicingArgumentIsBrokenByNoneOrSeveral() {
        assertThat(violation("{ search(first: 4) { total } }", Map.of())).isNull();
        assertThat(violation("{ search { total } }", Map.of()))
                .isEqualTo("exactly one of the slicing arguments [first] of Query.search must be given; none was");
        assertThat(violation("{ page(input: {first: 2, last: 3}) { id } }", Map.of()))
                .endsWith("2 were: input.first, input.last");
        // a variable without a value is not given; requireOneSlicingArgument: false never complains
        assertThat(violation("query($n: Int) { search(first: $n) { total } }", Map.of())).contains("none was");
        assertThat(violation("{ products(first: 1, last: 2) { id } }", Map.of())).isNull();
        // inside a fragment, too; the estimate is still computed
        var document = Parser.parse("{ ...Q } fragment Q on Query { search { total } }");
        var estimate = ESTIMATOR.estimateChecked(document, OperationSelector.select(document, null).operation(), Map.of());
        assertThat(estimate.slicingViolation()).contains("Query.search");
        assertThat(estimate.cost()).isEqualTo(1);
    }

    @Test
    void typeWeightsAssumedSizesAndTheConfiguredListSize() {
        assertThat(cost("{ users { name } }")).isEqualTo(50);              // 10 (configured) x User 5
        assertThat(cost("{ reviews { author { name } } }")).isEqualTo(18); // 3 x (1 + 5)
        assertThat(cost("{ expensive }")).isEqualTo(50);                   // field @cost
    }

    @Test
    void sizedFieldsMoveTheSizeToTheConnectionsEdges() {
        // search 1 + edges 4 x (1 + node (1 + price 2))
        assertThat(cost("{ search(first: 4) { total edges { node { name price } } } }")).isEqualTo(17);
    }

    @Test
    void aMutationStartsAtTenAndFragmentsCount() {
        assertThat(cost("mutation { like { id } }")).isEqualTo(11);
        assertThat(cost("{ users { ...U } } fragment U on User { name }")).isEqualTo(50);
    }

    private static long actual(String query, Object data) {
        var document = Parser.parse(query);
        return ESTIMATOR.actual(document, OperationSelector.select(document, null).operation(), data);
    }

    @Test
    void theActualCostCountsListsAtTheirActualLength() {
        Map<String, Object> product = Map.of("id", "1", "price", 3);
        // estimated 5 x (1 + 2) = 15; two products came back: 2 x (1 + Money 2)
        assertThat(actual("{ products { id price } }", Map.of("products", java.util.List.of(product, product)))).isEqualTo(6);
        // users: 3 of User 5; a null item and a null field cost nothing
        java.util.List<Object> users = new java.util.ArrayList<>(java.util.List.of(Map.of("name", "a"), Map.of("name", "b"),
                Map.of("name", "c")));
        users.add(null);
        assertThat(actual("{ users { name } }", Map.of("users", users))).isEqualTo(15);
        assertThat(actual("{ reviews { author { name } } }", Map.of("reviews", java.util.List.of(
                Map.of("author", Map.of("name", "x")), java.util.Collections.singletonMap("author", null))))).isEqualTo(7);
        // a connection: search 1 + 1 edge x (1 + node 1 + price 2)
        assertThat(actual("{ search(first: 4) { edges { node { price } } } }", Map.of("search",
                Map.of("edges", java.util.List.of(Map.of("node", Map.of("price", 1))))))).isEqualTo(5);
        assertThat(actual("mutation { like { id } }", Map.of("like", Map.of("id", "1")))).isEqualTo(11);
        assertThat(actual("{ users { ...U } } fragment U on User { name }", Map.of("users", java.util.List.of(
                Map.of("__typename", "User", "name", "a"))))).isEqualTo(5);
        assertThat(actual("{ users { name } }", null)).isZero();
    }

    @Test
    void withoutTheCostLinkDefaultsApply() {
        assertThat(CostDirectives.read("type Query { a: Int @cost(weight: 9) }").typeWeight("Query")).isNull();
    }
}
