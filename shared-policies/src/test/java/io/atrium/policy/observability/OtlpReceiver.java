package io.atrium.policy.observability;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A minimal OTLP/HTTP traces receiver on loopback, as a collector would be: {@code POST /v1/traces} with a protobuf
 * {@code ExportTraceServiceRequest}, answered with an empty {@code ExportTraceServiceResponse}. It keeps every span
 * it received with its resource's {@code service.name}. Shared with the deployables' tests (this module's test jar).
 */
public final class OtlpReceiver implements AutoCloseable {
    /** A received span, ids in lower-case hex (parent empty for a root span). */
    public record Received(String service, String name, Span.SpanKind kind, String traceId, String spanId, String parentId,
                    Span span) {
        public String attribute(String key) {
            return span.getAttributesList().stream().filter(a -> a.getKey().equals(key)).findFirst()
                    .map(a -> a.getValue().hasIntValue() ? String.valueOf(a.getValue().getIntValue())
                            : a.getValue().getStringValue())
                    .orElse(null);
        }
    }

    private final HttpServer server;
    private final List<Received> spans = new ArrayList<>();
    private int exports;

    public OtlpReceiver() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/traces", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int status = 200;
            try {
                received(ExportTraceServiceRequest.parseFrom(body));
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                status = 400;
            } catch (Throwable e) {
                e.printStackTrace();
                throw e;
            }
            byte[] answer = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().set("content-type", "application/x-protobuf");
            exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
            if (answer.length > 0) {
                exchange.getResponseBody().write(answer);
            }
            exchange.close();
        });
        server.start();
    }

    /** The OTLP endpoint (base URL, as in {@code OTEL_EXPORTER_OTLP_ENDPOINT}). */
    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private synchronized void received(ExportTraceServiceRequest request) {
        HexFormat hex = HexFormat.of();
        for (ResourceSpans resource : request.getResourceSpansList()) {
            String service = resource.getResource().getAttributesList().stream()
                    .filter(a -> a.getKey().equals("service.name")).findFirst()
                    .map(a -> a.getValue().getStringValue()).orElse(null);
            for (ScopeSpans scope : resource.getScopeSpansList()) {
                for (Span span : scope.getSpansList()) {
                    spans.add(new Received(service, span.getName(), span.getKind(),
                            hex.formatHex(span.getTraceId().toByteArray()), hex.formatHex(span.getSpanId().toByteArray()),
                            hex.formatHex(span.getParentSpanId().toByteArray()), span));
                }
            }
        }
        exports++;
        notifyAll();
    }

    /** The spans of one trace, once {@code until} holds for them (bounded: fails after 10 s). */
    public synchronized List<Received> await(String traceId, Predicate<List<Received>> until) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            List<Received> trace = trace(traceId);
            if (until.test(trace)) {
                return trace;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("spans of trace " + traceId + " not received within 10 s; got " + trace);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    public synchronized List<Received> trace(String traceId) {
        return spans.stream().filter(s -> s.traceId().equals(traceId)).toList();
    }

    public synchronized int exports() {
        return exports;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
