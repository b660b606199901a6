package io.atrium.edge.observe;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TraceContextTest {

    private static final String VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void continuesAValidTraceWithANewSpan() {
        String next = TraceContext.next(VALID);
        assertThat(next).hasSize(55).startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-").endsWith("-01");
        assertThat(next.substring(36, 52)).isNotEqualTo("00f067aa0ba902b7").matches("[0-9a-f]{16}");
        assertThat(TraceContext.isValid(next)).isTrue();
        assertThat(TraceContext.traceId(next)).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void startsATraceWhenAbsentOrMalformed() {
        for (String bad : new String[] {null, "", "garbage", VALID.toUpperCase(), "01" + VALID.substring(2),
                "00-00000000000000000000000000000000-00f067aa0ba902b7-01", "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
                VALID + "-extra"}) {
            String next = TraceContext.next(bad);
            assertThat(TraceContext.isValid(next)).as("from %s", bad).isTrue();
            assertThat(next).endsWith("-00").doesNotContain("4bf92f3577b34da6a3ce929d0e0e4736");
        }
    }
}
