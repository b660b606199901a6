package io.atrium.router.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Demand control over HTTP with the sample graph's default weights (objects 1, scalars 0, lists of 10): an operation
 * at the maximum runs, one unit past it is refused before planning with its estimate; measure mode only counts.
 */
class DemandControlIT {
    /** users: 10 x (1 + reviews 10 x (1 + 0)) = 110. */
    private static final String AT_MAX = "{ users { reviews { id } } }";
    /** 110 + me 1. */
    private static final String ONE_PAST = "{ users { reviews { id } } me { id } }";
    private static RouterUnderTest enforcing;
    private static RouterUnderTest measuring;

    /**
     * The benchmark supergraph with {@code topProducts(first: Int, last: Int) @listSize(slicingArguments: ["first",
     * "last"])} (requireOneSlicingArgument defaults to true), as composition writes the cost spec into a supergraph.
     */
    private static String slicedSupergraph() throws Exception {
        String supergraph = RouterUnderTest.benchmarkSupergraph();
        String sliced = supergraph
                .replace("  @link(url: \"https://specs.apollo.dev/join/v0.3\", for: EXECUTION)\n",
                        "  @link(url: \"https://specs.apollo.dev/join/v0.3\", for: EXECUTION)\n"
                                + "  @link(url: \"https://specs.apollo.dev/cost/v0.1\", import: [\"@listSize\"])\n")
                .replace("scalar join__FieldSet\n", "scalar join__FieldSet\n\ndirective @listSize(assumedSize: Int, "
                        + "slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) "
                        + "on FIELD_DEFINITION\n")
                .replace("topProducts(first: Int = 5): [Product]",
                        "topProducts(first: Int, last: Int): [Product] @listSize(slicingArguments: [\"first\", \"last\"])");
        assertThat(sliced).contains("@listSize(slicingArguments").contains("cost/v0.1").contains("directive @listSize");
        return sliced;
    }

    @BeforeAll
    static void start() throws Exception {
        enforcing = RouterUnderTest.start(RouterUnderTest.newDirectory(), slicedSupergraph(), """
                format_version: 1
                hot_reload: false
                demand_control: { enabled: true, max: 110 }
                """);
        measuring = RouterUnderTest.start(RouterUnderTest.newDirectory(), slicedSupergraph(), """
                format_version: 1
                hot_reload: false
                demand_control: { enabled: true, mode: measure, max: 110 }
                """);
    }

    @AfterAll
    static void stop() {
        for (RouterUnderTest router : new RouterUnderTest[] {enforcing, measuring}) {
            if (router != null) {
                router.close();
            }
        }
    }

    @Test
    void anOperationAtTheMaximumRunsAndOnePastItIsRefusedWithItsEstimate() throws Exception {
        var atMax = enforcing.post(RouterUnderTest.queryBody(AT_MAX));
        assertThat(atMax.statusCode()).isEqualTo(200);
        assertThat(atMax.body()).startsWith("{\"data\":").doesNotContain("COST_ESTIMATED_TOO_EXPENSIVE");
        var past = enforcing.post(RouterUnderTest.queryBody(ONE_PAST));
        assertThat(past.statusCode()).isEqualTo(400);
        assertThat(past.body()).doesNotContain("\"data\"")
                .contains("\"code\":\"COST_ESTIMATED_TOO_EXPENSIVE\"")
                .contains("\"estimated\":111").contains("\"max\":110");
    }

    @Test
    void measureModeRunsTheOperation() throws Exception {
        var response = measuring.post(RouterUnderTest.queryBody(ONE_PAST));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).startsWith("{\"data\":").doesNotContain("COST_ESTIMATED_TOO_EXPENSIVE");
    }

    @Test
    void aListThatRequiresOneSlicingArgumentIsRefusedWithNoneOrSeveral() throws Exception {
        var none = enforcing.post(RouterUnderTest.queryBody("{ topProducts { upc } }"));
        assertThat(none.statusCode()).isEqualTo(400);
        assertThat(none.body()).doesNotContain("\"data\"").contains("\"code\":\"COST_QUERY_PARSE_FAILURE\"")
                .contains("Query.topProducts must be given; none was");
        var both = enforcing.post(RouterUnderTest.queryBody("{ topProducts(first: 2, last: 3) { upc } }"));
        assertThat(both.statusCode()).isEqualTo(400);
        assertThat(both.body()).contains("COST_QUERY_PARSE_FAILURE").contains("2 were: first, last");
        var unsetVariable = enforcing.post("{\"query\":\"query($n: Int) { topProducts(first: $n) { upc } }\"}");
        assertThat(unsetVariable.statusCode()).isEqualTo(400);
        assertThat(unsetVariable.body()).contains("COST_QUERY_PARSE_FAILURE");

        var one = enforcing.post("{\"query\":\"query($n: Int) { topProducts(first: $n) { upc } }\","
                + "\"variables\":{\"n\":3}}");
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(one.body()).startsWith("{\"data\":").doesNotContain("COST_QUERY_PARSE_FAILURE");
        var measured = measuring.post(RouterUnderTest.queryBody("{ topProducts(first: 2, last: 3) { upc } }"));
        assertThat(measured.statusCode()).isEqualTo(200);
        assertThat(measured.body()).startsWith("{\"data\":").doesNotContain("COST_QUERY_PARSE_FAILURE");
    }
}
