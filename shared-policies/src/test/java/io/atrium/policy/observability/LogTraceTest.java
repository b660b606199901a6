package io.atrium.policy.observability;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class LogTraceTest {
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    @AfterEach
    void clean() {
        MDC.clear();
    }

    @Test
    void aScopeSetsTheTraceAndRestoresWhatWasThereBefore() {
        try (LogTrace.Scope outer = LogTrace.open(TRACE, "00f067aa0ba902b7")) {
            assertThat(MDC.get(LogTrace.TRACE_ID)).isEqualTo(TRACE);
            assertThat(MDC.get(LogTrace.SPAN_ID)).isEqualTo("00f067aa0ba902b7");
            try (LogTrace.Scope inner = LogTrace.open("5bf92f3577b34da6a3ce929d0e0e4737", null)) {
                assertThat(MDC.get(LogTrace.TRACE_ID)).isEqualTo("5bf92f3577b34da6a3ce929d0e0e4737");
                assertThat(MDC.get(LogTrace.SPAN_ID)).as("not the outer request's span").isNull();
            }
            assertThat(MDC.get(LogTrace.TRACE_ID)).isEqualTo(TRACE);
            assertThat(MDC.get(LogTrace.SPAN_ID)).isEqualTo("00f067aa0ba902b7");
        }
        assertThat(MDC.get(LogTrace.TRACE_ID)).isNull();
        assertThat(MDC.get(LogTrace.SPAN_ID)).isNull();
    }

    @Test
    void aScopeWithoutATraceHidesAnEnclosingOneAndOtherwiseTouchesNothing() {
        LogTrace.Scope none = LogTrace.open(null, null);
        assertThat(LogTrace.open(null, null)).isSameAs(none); // no trace, nothing to hide: no allocation
        try (LogTrace.Scope outer = LogTrace.openTraceparent("00-" + TRACE + "-00f067aa0ba902b7-01")) {
            try (LogTrace.Scope inner = LogTrace.openTraceparent("garbage")) {
                assertThat(MDC.get(LogTrace.TRACE_ID)).isNull();
            }
            assertThat(MDC.get(LogTrace.TRACE_ID)).isEqualTo(TRACE);
        }
        assertThat(MDC.get(LogTrace.TRACE_ID)).isNull();
    }
}
