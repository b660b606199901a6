package io.atrium.bff.mobile;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The Cache-Control of GET /v1/ops/{name} answers from the router's policy. */
class OperationsCacheControlTest {

    @Test
    void anIdentifiedCallersAnswerIsPrivateWithoutASharedAge() {
        assertThat(OperationGets.cacheControl("public, max-age=60, s-maxage=30", true))
                .isEqualTo("private, max-age=60");
        assertThat(OperationGets.cacheControl("private, max-age=10", true)).isEqualTo("private, max-age=10");
    }

    @Test
    void anAnonymousCallerGetsTheRoutersPolicyAsItIs() {
        assertThat(OperationGets.cacheControl("public, max-age=60, s-maxage=30", false))
                .isEqualTo("public, max-age=60, s-maxage=30");
    }

    @Test
    void withoutACacheablePolicyTheAppRevalidates() {
        assertThat(OperationGets.cacheControl(null, false)).isEqualTo("private, no-cache");
        assertThat(OperationGets.cacheControl("no-store", true)).isEqualTo("private, no-cache");
        assertThat(OperationGets.cacheControl("public", false)).isEqualTo("private, no-cache");
    }
}
