package io.atrium.examples;

import java.util.List;
import java.util.Optional;

/** The parsed arguments of {@link Main}; pure, so the usage rules are unit-tested. */
sealed interface CommandLine {

    String USAGE = """
            Runs one sample backend of the Atrium demo shop, or checks that one is healthy.

            Usage:
              java -jar atrium-examples-all.jar <service> [--host H] [--port N]
                  Runs <service> until SIGTERM or Ctrl-C. Listens on H (default 0.0.0.0, every
                  interface) and port N (default: the service's port; 0 picks a free port).
              java -jar atrium-examples-all.jar check <service> [--host H] [--port N]
                  Health check: GET /health over HTTP, or the gRPC health service for payments.
                  Exits 0 when healthy, 1 otherwise. H defaults to 127.0.0.1.
              java -jar atrium-examples-all.jar --help

            Services (default port):
              accounts (4001), products (4002), inventory (4003), reviews (4004)  GraphQL subgraphs, POST /graphql
              orders (4010)                                                       REST, /orders
              payments (50051)                                                    gRPC atrium.payments.v1.Payments
              orders-graphql (4011), payments-graphql (4012)                      the orders and payments data as
                                                                                  GraphQL subgraphs (bench connectors)
            """;

    String DEFAULT_RUN_HOST = "0.0.0.0";
    String DEFAULT_CHECK_HOST = "127.0.0.1";

    record Run(ExampleService service, String host, int port) implements CommandLine {
    }

    record Check(ExampleService service, String host, int port) implements CommandLine {
    }

    record Help() implements CommandLine {
    }

    /** Arguments that do not parse: the message says what was wrong. */
    record Invalid(String message) implements CommandLine {
    }

    static CommandLine parse(List<String> args) {
        if (args.isEmpty()) {
            return new Invalid("name a service to run");
        }
        if (args.contains("--help") || args.contains("-h")) {
            return new Help();
        }
        boolean check = args.getFirst().equals("check");
        List<String> rest = check ? args.subList(1, args.size()) : args;
        if (rest.isEmpty()) {
            return new Invalid("name the service to check");
        }
        Optional<ExampleService> service = ExampleService.byName(rest.getFirst());
        if (service.isEmpty()) {
            return new Invalid("unknown service '" + rest.getFirst() + "'");
        }
        String host = check ? DEFAULT_CHECK_HOST : DEFAULT_RUN_HOST;
        int port = service.get().defaultPort();
        for (int i = 1; i < rest.size(); i += 2) {
            String option = rest.get(i);
            if (i + 1 >= rest.size()) {
                return new Invalid("option " + option + " needs a value");
            }
            String value = rest.get(i + 1);
            switch (option) {
                case "--host" -> host = value;
                case "--port" -> {
                    Optional<Integer> parsed = port(value);
                    if (parsed.isEmpty()) {
                        return new Invalid("--port must be a number from 0 to 65535, got '" + value + "'");
                    }
                    port = parsed.get();
                }
                default -> {
                    return new Invalid("unknown option '" + option + "'");
                }
            }
        }
        return check ? new Check(service.get(), host, port) : new Run(service.get(), host, port);
    }

    private static Optional<Integer> port(String value) {
        try {
            int port = Integer.parseInt(value);
            return port >= 0 && port <= 65_535 ? Optional.of(port) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
