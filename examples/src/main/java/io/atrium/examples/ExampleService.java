package io.atrium.examples;

import java.util.Locale;
import java.util.Optional;

/** The sample backends of the demo shop, with the ports they use under compose and the local launcher. */
public enum ExampleService {
    ACCOUNTS(4001, false),
    PRODUCTS(4002, false),
    INVENTORY(4003, false),
    REVIEWS(4004, false),
    ORDERS(4010, false),
    PAYMENTS(50051, true),
    /** The orders data as a GraphQL subgraph (the connectors benchmark's reference for the REST connector). */
    ORDERS_GRAPHQL(4011, false),
    /** The payments data as a GraphQL subgraph (the connectors benchmark's reference for the gRPC connector). */
    PAYMENTS_GRAPHQL(4012, false);

    private final int defaultPort;
    private final boolean grpc;

    ExampleService(int defaultPort, boolean grpc) {
        this.defaultPort = defaultPort;
        this.grpc = grpc;
    }

    public int defaultPort() {
        return defaultPort;
    }

    /** Lower-case name, as used on the command line, in compose and in the supergraph ("accounts", "orders-graphql"). */
    public String serviceName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** True for the gRPC service (payments); the others speak HTTP. */
    public boolean grpc() {
        return grpc;
    }

    /** True for the four Apollo Federation subgraphs of the demo shop's supergraph (not the benchmark's twins). */
    public boolean subgraph() {
        return ordinal() <= REVIEWS.ordinal();
    }

    public static Optional<ExampleService> byName(String name) {
        for (ExampleService service : values()) {
            if (service.serviceName().equals(name)) {
                return Optional.of(service);
            }
        }
        return Optional.empty();
    }
}
