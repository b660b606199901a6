package io.atrium.policy.observability;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TraceParentTest {
    private static final String VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void aVersion00HeaderGivesItsTraceId() {
        assertThat(TraceParent.isValid(VALID)).isTrue();
        assertThat(TraceParent.traceIdOf(VALID)).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void malformedHeadersHaveNoTraceId() {
        for (String bad : new String[] {null, "", "garbage", VALID.toUpperCase(), VALID + "-x",
                "01" + VALID.substring(2), "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", VALID.replace('-', '_')}) {
            assertThat(TraceParent.isValid(bad)).as(String.valueOf(bad)).isFalse();
            assertThat(TraceParent.traceIdOf(bad)).as(String.valueOf(bad)).isNull();
        }
    }
}
