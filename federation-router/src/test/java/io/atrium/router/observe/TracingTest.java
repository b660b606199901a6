package io.atrium.router.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** When the router builds an OpenTelemetry SDK at all: only with an OTLP endpoint, from any of the three sources. */
class TracingTest {

    @Test
    void offWithoutAnEndpointWhateverElseIsSet() {
        assertThat(Tracing.enabled(Map.of("otel.service.name", "router", "otel.traces.sampler", "always_on"),
                Map.of("OTEL_TRACES_SAMPLER_ARG", "1"), key -> null)).isFalse();
        assertThat(Tracing.enabled(Map.of("otel.exporter.otlp.endpoint", "  "), Map.of(), key -> null)).isFalse();
        assertThat(Tracing.configure(Map.of("otel.service.name", "router"), Map.of(), key -> null))
                .isSameAs(Tracing.off());
    }

    @Test
    void onWithAnEndpointFromTheRoutersPropertiesTheSystemPropertiesOrTheEnvironment() {
        assertThat(Tracing.enabled(Map.of("otel.exporter.otlp.endpoint", "http://collector:4318"), Map.of(),
                key -> null)).isTrue();
        assertThat(Tracing.enabled(Map.of(), Map.of(), key -> key.equals("otel.exporter.otlp.traces.endpoint")
                ? "http://collector:4318/v1/traces" : null)).isTrue();
        assertThat(Tracing.enabled(Map.of(), Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"),
                key -> null)).isTrue();
    }

    @Test
    void aDisabledSdkIsOffEvenWithAnEndpoint() {
        assertThat(Tracing.enabled(Map.of("otel.exporter.otlp.endpoint", "http://collector:4318"),
                Map.of("OTEL_SDK_DISABLED", "true"), key -> null)).isFalse();
    }

    @Test
    void offStartsNoSpansAndContinuesTheCallersTraceparent() {
        TraceContext trace = Tracing.off().start(name -> name.equals("traceparent")
                ? "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01" : null);
        assertThat(trace.spans()).isNull();
        assertThat(trace.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(trace.parentId()).isEqualTo("00f067aa0ba902b7");
    }

    @Test
    void aProtocolThisRouterCannotSendFailsStartUpSayingSo() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Tracing.configure(Map.of(
                        "otel.exporter.otlp.endpoint", "http://127.0.0.1:1", "otel.exporter.otlp.protocol", "grpc"),
                        Map.of(), key -> null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("OpenTelemetry tracing is misconfigured")
                .hasMessageContaining("GrpcSenderProvider"); // the reason, not autoconfigure's wrapper
    }
}
