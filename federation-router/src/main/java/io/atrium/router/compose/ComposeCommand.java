package io.atrium.router.compose;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code supergraph compose --config supergraph.yaml}: composes the subgraphs of a rover-format config and prints
 * the supergraph to stdout (what {@code rover supergraph compose} does). Exit codes: 0 composed, 1 composition
 * errors (printed to stderr, one per line with code and location), 2 usage or config error.
 * Run as {@code java -cp federation-router.jar io.atrium.router.compose.ComposeCommand --config FILE}.
 */
public final class ComposeCommand {
    static final String USAGE = """
            Usage: supergraph compose --config <supergraph.yaml>

              --config <file>   subgraphs in rover's format (name → routing_url, schema: {file | subgraph_url})
              --help            print this help

            Prints the composed supergraph SDL. Exit codes: 0 composed, 1 composition errors, 2 usage/config error.
            """;

    private ComposeCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        Path config = null;
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--help", "-h" -> {
                    out.print(USAGE);
                    return 0;
                }
                case "--config" -> {
                    if (i + 1 >= args.size()) {
                        err.print("--config needs a file\n\n" + USAGE);
                        return 2;
                    }
                    config = Path.of(args.get(++i));
                }
                default -> {
                    err.print("unknown argument '" + args.get(i) + "'\n\n" + USAGE);
                    return 2;
                }
            }
        }
        if (config == null) {
            err.print(USAGE);
            return 2;
        }
        List<SubgraphSource> sources;
        try {
            sources = SupergraphConfig.load(config, System::getenv).sources(Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        return switch (Composer.compose(sources)) {
            case CompositionResult.Composed composed -> {
                out.print(composed.supergraphSdl());
                yield 0;
            }
            case CompositionResult.Failed failed -> {
                failed.errors().forEach(e -> err.println(e));
                err.println(failed.errors().size() + " composition error(s)");
                yield 1;
            }
        };
    }
}
