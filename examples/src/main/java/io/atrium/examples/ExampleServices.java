package io.atrium.examples;

import io.atrium.examples.graphql.Subgraphs;
import io.atrium.examples.graphql.TwinSubgraphs;
import io.atrium.examples.http.HttpServices;
import io.atrium.examples.orders.OrderStore;
import io.atrium.examples.payments.PaymentLedger;
import io.atrium.examples.payments.PaymentsServer;
import io.atrium.examples.seed.Shop;
import java.time.Clock;

/** Starts the sample services in this JVM: for the launcher, the end-to-end tests and the benchmarks. */
public final class ExampleServices {

    /** Where in-process services listen: loopback only. */
    public static final String LOOPBACK = "127.0.0.1";

    private ExampleServices() {
    }

    /** Starts one service in this JVM on the given port (0 = a random free port), on loopback. */
    public static RunningService start(ExampleService service, int port) {
        return start(service, LOOPBACK, port);
    }

    /** Starts one service listening on {@code host} ("0.0.0.0" for every interface, as in a container). */
    public static RunningService start(ExampleService service, String host, int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
        }
        Shop shop = Shop.seed();
        return switch (service) {
            case ACCOUNTS, PRODUCTS, INVENTORY, REVIEWS ->
                    HttpServices.start(service, host, port, Subgraphs.create(service, shop));
            case ORDERS -> HttpServices.start(service, host, port, new OrderStore(shop, Clock.systemUTC()), shop);
            case PAYMENTS -> PaymentsServer.start(host, port);
            case ORDERS_GRAPHQL ->
                    HttpServices.start(service, host, port, TwinSubgraphs.orders(new OrderStore(shop, Clock.systemUTC())));
            case PAYMENTS_GRAPHQL ->
                    HttpServices.start(service, host, port, TwinSubgraphs.payments(new PaymentLedger(Clock.systemUTC())));
        };
    }
}
