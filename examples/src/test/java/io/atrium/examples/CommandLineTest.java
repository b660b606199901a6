package io.atrium.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void runsAServiceOnItsDefaultPortOnEveryInterface() {
        assertThat(CommandLine.parse(List.of("reviews")))
                .isEqualTo(new CommandLine.Run(ExampleService.REVIEWS, "0.0.0.0", 4004));
        assertThat(CommandLine.parse(List.of("payments", "--port", "0", "--host", "127.0.0.1")))
                .isEqualTo(new CommandLine.Run(ExampleService.PAYMENTS, "127.0.0.1", 0));
    }

    @Test
    void checksOnLoopbackByDefault() {
        assertThat(CommandLine.parse(List.of("check", "orders")))
                .isEqualTo(new CommandLine.Check(ExampleService.ORDERS, "127.0.0.1", 4010));
        assertThat(CommandLine.parse(List.of("check", "accounts", "--host", "accounts", "--port", "5001")))
                .isEqualTo(new CommandLine.Check(ExampleService.ACCOUNTS, "accounts", 5001));
    }

    @Test
    void helpAndMistakes() {
        assertThat(CommandLine.parse(List.of("--help"))).isInstanceOf(CommandLine.Help.class);
        assertThat(CommandLine.parse(List.of("check", "orders", "-h"))).isInstanceOf(CommandLine.Help.class);
        assertThat(CommandLine.parse(List.of())).isInstanceOf(CommandLine.Invalid.class);
        assertThat(CommandLine.parse(List.of("check"))).isInstanceOf(CommandLine.Invalid.class);
        assertThat(CommandLine.parse(List.of("shipping"))).isEqualTo(new CommandLine.Invalid("unknown service 'shipping'"));
        assertThat(CommandLine.parse(List.of("orders", "--port", "70000"))).isInstanceOf(CommandLine.Invalid.class);
        assertThat(CommandLine.parse(List.of("orders", "--port"))).isInstanceOf(CommandLine.Invalid.class);
        assertThat(CommandLine.parse(List.of("orders", "--verbose", "yes"))).isInstanceOf(CommandLine.Invalid.class);
    }

    @Test
    void servicesKnowTheirNamesPortsAndProtocols() {
        assertThat(ExampleService.values()).extracting(ExampleService::serviceName)
                .containsExactly("accounts", "products", "inventory", "reviews", "orders", "payments",
                        "orders-graphql", "payments-graphql");
        assertThat(ExampleService.values()).extracting(ExampleService::defaultPort)
                .containsExactly(4001, 4002, 4003, 4004, 4010, 50051, 4011, 4012);
        assertThat(ExampleService.values()).filteredOn(ExampleService::grpc).containsExactly(ExampleService.PAYMENTS);
    }
}
