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
    PAYMENTS(50051, true);

    private final int defaultPort;
    private final boolean grpc;

    ExampleService(int defaultPort, boolean grpc) {
        this.defaultPort = defaultPort;
        this.grpc = grpc;
    }

    public int defaultPort() {
        return defaultPort;
    }

    /** Lower-case name, as used on the command line, in compose and in the supergraph ("accounts", ...). */
    public String serviceName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True for the gRPC service (payments); the others speak HTTP. */
    public boolean grpc() {
        return grpc;
    }

    /** True for the four Apollo Federation subgraphs. */
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
