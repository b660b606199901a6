package io.atrium.policy.observability;

import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every deployable's OpenTelemetry SDK for traces, or none: built by the SDK's autoconfigure module from the standard
 * {@code OTEL_*} environment variables, {@code otel.*} system properties and the deployable's own {@code otel.*}
 * properties (over both). On only when an OTLP endpoint is configured ({@code OTEL_EXPORTER_OTLP_ENDPOINT} or
 * {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}) and the SDK is not disabled; off, nothing is built and no thread started.
 * Traces only (metrics and logs pipelines stay off unless asked for), OTLP over HTTP/protobuf (the specification's
 * default; the Java SDK's own is gRPC, whose sender is not shipped), never the global SDK (several servers share a JVM
 * in tests), no shutdown hook (the deployable closes it and flushes what is pending).
 */
public final class OpenTelemetrySetup {
    private static final Logger LOG = LoggerFactory.getLogger(OpenTelemetrySetup.class);

    private OpenTelemetrySetup() {
    }

    /**
     * The SDK for {@code defaultService} (its {@code service.name} unless configured), or null when tracing is off.
     *
     * @throws IllegalStateException when a value is wrong, naming it
     */
    public static OpenTelemetrySdk configure(String defaultService, Map<String, String> properties) {
        return configure(defaultService, properties, System.getenv(), System.getProperties()::getProperty);
    }

    public static OpenTelemetrySdk configure(String defaultService, Map<String, String> properties,
                                             Map<String, String> env, Function<String, String> system) {
        Map<String, String> own = normalized(properties);
        if (!enabled(own, env, system)) {
            return null;
        }
        OpenTelemetrySdk sdk;
        try {
            sdk = AutoConfiguredOpenTelemetrySdk.builder()
                    .addPropertiesSupplier(() -> Map.of("otel.service.name", defaultService,
                            "otel.exporter.otlp.protocol", "http/protobuf",
                            "otel.metrics.exporter", "none", "otel.logs.exporter", "none"))
                    .addPropertiesCustomizer(config -> own)
                    .disableShutdownHook()
                    .build()
                    .getOpenTelemetrySdk();
        } catch (ConfigurationException | IllegalStateException e) { // a bad value; a protocol without its sender
            Throwable cause = e;
            while (cause.getCause() != null) {
                cause = cause.getCause(); // autoconfigure wraps the reason in "Unexpected configuration error"
            }
            throw new IllegalStateException("OpenTelemetry tracing is misconfigured (OTEL_* variables or otel.* "
                    + "properties): " + cause.getMessage(), e);
        }
        String service = value("otel.service.name", own, env, system);
        LOG.atInfo().addKeyValue("service", service == null ? defaultService : service)
                .addKeyValue("endpoint", endpoint(own, env, system)).log("OpenTelemetry traces on");
        return sdk;
    }

    /** On when an OTLP endpoint (for all signals or for traces) is set and the SDK is not disabled. */
    public static boolean enabled(Map<String, String> properties, Map<String, String> env, Function<String, String> system) {
        Map<String, String> own = normalized(properties);
        String disabled = value("otel.sdk.disabled", own, env, system);
        return endpoint(own, env, system) != null && !"true".equalsIgnoreCase(disabled == null ? null : disabled.trim());
    }

    private static String endpoint(Map<String, String> own, Map<String, String> env, Function<String, String> system) {
        String traces = value("otel.exporter.otlp.traces.endpoint", own, env, system);
        return traces != null ? traces : value("otel.exporter.otlp.endpoint", own, env, system);
    }

    /** The deployable's own property, else the system property, else the environment variable; blank = unset. */
    private static String value(String key, Map<String, String> own, Map<String, String> env,
                                Function<String, String> system) {
        String[] sources = {own.get(key), system.apply(key), env.get(key.toUpperCase(Locale.ROOT).replace('.', '_'))};
        for (String value : sources) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }

    /** Keys as autoconfigure reads them: lower case, {@code -} as {@code .}, with the {@code otel.} prefix. */
    private static Map<String, String> normalized(Map<String, String> properties) {
        Map<String, String> out = new HashMap<>();
        properties.forEach((key, value) -> {
            String k = key.toLowerCase(Locale.ROOT).replace('-', '.');
            out.put(k.startsWith("otel.") ? k : "otel." + k, value);
        });
        return Map.copyOf(out);
    }

    /** A Micronaut context's {@code otel.*} properties (its own, system properties, environment), as strings. */
    public static Map<String, String> properties(io.micronaut.core.value.PropertyResolver resolver) {
        Map<String, String> properties = new HashMap<>();
        resolver.getProperties("otel", io.micronaut.core.naming.conventions.StringConvention.RAW).forEach((key, value) -> {
            if (value != null && !(value instanceof Map<?, ?>)) {
                properties.put("otel." + key, String.valueOf(value));
            }
        });
        return properties;
    }

    /** Reads a carrier of request headers by name (the W3C propagators ask for theirs by name). */
    public static final TextMapGetter<Function<String, String>> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Function<String, String> carrier) {
            return List.of();
        }

        @Override
        public String get(Function<String, String> carrier, String key) {
            return carrier == null ? null : carrier.apply(key);
        }
    };
}
