package io.atrium.router;

import io.micronaut.runtime.Micronaut;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Standalone use: {@code java -jar federation-router.jar --supergraph path [--port 4000] [--config router.yaml]}.
 */
public final class Application {
    private static final String HELP = """
            Atrium federation router

            Usage: java -jar federation-router.jar --supergraph <file> [--port <port>] [--config <router.yaml>]
                   java -jar federation-router.jar --registry <dir|redis://host:port> [--admin-port <port>] ...

              --supergraph <file>   supergraph SDL to serve (hot-reloaded when it changes)
              --registry <store>    follow the subgraph registry in a directory or in Redis (shared by every
                                    instance) and serve its admin API; needs ATRIUM_ROUTER_ADMIN_TOKEN
              --admin-port <port>   the admin listener's port (default 9902, bound to 127.0.0.1; --admin-host)
              --subgraphs <file>    compose the subgraphs of a rover-format supergraph.yaml (schema: file or
                                    subgraph_url, introspected) at start and every 10 s; a change that composes
                                    is swapped in (--config stays the router's own config file)
              --config <file>       strict router config (format_version: 1); --supergraph overrides its 'supergraph'
              --transcoding <file>  also serve REST -> gRPC transcoding (its own port, 4020 by default) from
                                    this strict config (config/router/transcoding.yaml)
              --port <port>         HTTP port (default 4000, or ATRIUM_PORT)
              --help                print this help
            """;

    private Application() {
    }

    public static void main(String[] args) {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--help", "-h" -> {
                    System.out.print(HELP);
                    return;
                }
                case "--supergraph" -> properties.put("atrium.router.supergraph", value(args, ++i, arg));
                case "--config" -> properties.put("atrium.router.config", value(args, ++i, arg));
                case "--transcoding" -> properties.put("atrium.router.transcoding", value(args, ++i, arg));
                case "--registry" -> properties.put("atrium.router.registry", value(args, ++i, arg));
                case "--subgraphs" -> properties.put("atrium.router.subgraphs", value(args, ++i, arg));
                case "--admin-port" -> properties.put("atrium.router.admin-port", Integer.parseInt(value(args, ++i, arg)));
                case "--admin-host" -> properties.put("atrium.router.admin-host", value(args, ++i, arg));
                case "--port" -> properties.put("micronaut.server.port", Integer.parseInt(value(args, ++i, arg)));
                default -> {
                    System.err.println("unknown argument '" + arg + "'\n\n" + HELP);
                    System.exit(2);
                }
            }
        }
        Micronaut.build(new String[0]).mainClass(Application.class).banner(false).properties(properties).start();
    }

    private static String value(String[] args, int index, String flag) {
        if (index >= args.length) {
            System.err.println(flag + " needs a value\n\n" + HELP);
            System.exit(2);
        }
        return args[index];
    }
}
