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

    @BeforeAll
    static void start() throws Exception {
        enforcing = RouterUnderTest.start("""
                format_version: 1
                hot_reload: false
                demand_control: { enabled: true, max: 110 }
                """);
        measuring = RouterUnderTest.start("""
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
}
