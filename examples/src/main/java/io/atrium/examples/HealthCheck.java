package io.atrium.examples;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The health check of {@code Main check}: one probe, a verdict and a one-line reason. */
final class HealthCheck {

    static final Duration TIMEOUT = Duration.ofSeconds(2);

    record Verdict(boolean healthy, String detail) {
    }

    private HealthCheck() {
    }

    static Verdict probe(ExampleService service, String host, int port) {
        return service.grpc() ? grpc(host, port) : http(host, port);
    }

    private static Verdict http(String host, int port) {
        URI uri = URI.create("http://" + hostForUri(host) + ":" + port + "/health");
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build()) {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Verdict(response.statusCode() == 200, uri + " answered " + response.statusCode());
        } catch (IOException e) {
            return new Verdict(false, uri + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Verdict(false, uri + " interrupted");
        }
    }

    private static Verdict grpc(String host, int port) {
        ManagedChannel channel = NettyChannelBuilder.forAddress(host, port).usePlaintext().build();
        try {
            HealthCheckResponse response = HealthGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .check(HealthCheckRequest.getDefaultInstance());
            boolean serving = response.getStatus() == HealthCheckResponse.ServingStatus.SERVING;
            return new Verdict(serving, host + ":" + port + " gRPC health is " + response.getStatus());
        } catch (StatusRuntimeException e) {
            return new Verdict(false, host + ":" + port + " gRPC health check failed: " + e.getStatus());
        } finally {
            channel.shutdownNow();
        }
    }

    private static String hostForUri(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
