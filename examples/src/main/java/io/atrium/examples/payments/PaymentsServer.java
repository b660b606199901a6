package io.atrium.examples.payments;

import io.atrium.examples.ExampleService;
import io.atrium.examples.RunningService;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.atrium.proto.payments.v1.PaymentsGrpc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/** Runs the payments gRPC service with the standard health and reflection services. */
public final class PaymentsServer {

    private PaymentsServer() {
    }

    public static RunningService start(String host, int port) {
        return start(host, port, InsecureServerCredentials.create());
    }

    /** @param credentials how clients connect, e.g. {@code TlsServerCredentials} for TLS or mTLS */
    public static RunningService start(String host, int port, ServerCredentials credentials) {
        HealthStatusManager health = new HealthStatusManager();
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress(host, port), credentials)
                // Every call is a short in-memory update: no need to hop to another thread.
                .directExecutor()
                .addService(new PaymentsService(new PaymentLedger(Clock.systemUTC())))
                .addService(health.getHealthService())
                .addService(ProtoReflectionServiceV1.newInstance())
                .build();
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("payments could not listen on " + host + ":" + port, e);
        }
        health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
        health.setStatus(PaymentsGrpc.SERVICE_NAME, ServingStatus.SERVING);
        return new GrpcService(server, health);
    }

    private record GrpcService(Server server, HealthStatusManager health) implements RunningService {

        @Override
        public ExampleService service() {
            return ExampleService.PAYMENTS;
        }

        @Override
        public int port() {
            return server.getPort();
        }

        @Override
        public URI baseUri() {
            return URI.create("http://127.0.0.1:" + port());
        }

        @Override
        public void close() {
            health.enterTerminalState();
            server.shutdown();
            try {
                if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                    server.shutdownNow();
                }
            } catch (InterruptedException e) {
                server.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }
}
