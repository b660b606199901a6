package io.atrium.router.registry;

import io.atrium.router.json.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The registry's command line, for people and CI pipelines ({@code ./atrium subgraph …} / {@code ./atrium operations …}):
 * talks to a router's admin API with the token in {@code ATRIUM_ROUTER_ADMIN_TOKEN}. Human output by default,
 * {@code --json} prints the API's answer as is. Exit codes: 0 done (or check passed), 1 refused (or check failed),
 * 2 usage error, 3 the registry could not be reached or refused the token.
 */
public final class RegistryCli {
    static final int OK = 0;
    static final int REFUSED = 1;
    static final int USAGE = 2;
    static final int UNREACHABLE = 3;

    private static final String USAGE_TEXT = """
            usage: atrium subgraph publish --name <name> --routing-url <url> --schema <file>
                   atrium subgraph check   --name <name> --routing-url <url> --schema <file> [--allow-breaking]
                   atrium subgraph list | history
                   atrium subgraph fetch [--name <name>]        (no name: the live supergraph)
                   atrium subgraph delete --name <name>
                   atrium operations publish --client <name> [--version <app version>] <manifest.json>
                                 (Apollo persisted query manifest or Relay map; also --manifest <file>)
                   atrium operations fetch|retire --client <name> [--version <app version>]
                   atrium operations list
            options: --admin-url <url> (default $ATRIUM_ROUTER_ADMIN_URL or http://127.0.0.1:9902), --json
            the admin token comes from ATRIUM_ROUTER_ADMIN_TOKEN
            exit codes: 0 done / check passed, 1 refused / check failed, 2 usage, 3 registry unreachable or token refused
            """;

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;

    RegistryCli(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    public static void main(String[] args) {
        System.exit(new RegistryCli(System.out, System.err, System.getenv()).run(args));
    }

    int run(String[] args) {
        if (args.length < 2) {
            err.print(USAGE_TEXT);
            return USAGE;
        }
        String group = args[0];
        String command = args[1];
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 2; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--json") || arg.equals("--allow-breaking")) {
                options.put(arg, "true");
            } else if (arg.startsWith("--") && i + 1 < args.length) {
                options.put(arg, args[++i]);
            } else if (!arg.startsWith("--") && group.equals("operations") && !options.containsKey("--manifest")) {
                options.put("--manifest", arg); // operations publish ... manifest.json
            } else {
                err.println("unexpected argument '" + arg + "'");
                err.print(USAGE_TEXT);
                return USAGE;
            }
        }
        String adminUrl = options.getOrDefault("--admin-url", env.getOrDefault("ATRIUM_ROUTER_ADMIN_URL", "http://127.0.0.1:9902"));
        String token = env.get("ATRIUM_ROUTER_ADMIN_TOKEN");
        if (token == null || token.isBlank()) {
            err.println("ATRIUM_ROUTER_ADMIN_TOKEN is not set: the registry needs the router's admin token");
            return USAGE;
        }
        try {
            Request request = request(group, command, options);
            if (request == null) {
                err.print(USAGE_TEXT);
                return USAGE;
            }
            return send(adminUrl, token, request, options.containsKey("--json"));
        } catch (UsageException e) {
            err.println(e.getMessage());
            return USAGE;
        }
    }

    private record Request(String method, String path, String body, String what) {
    }

    private Request request(String group, String command, Map<String, String> options) {
        if (group.equals("subgraph")) {
            return switch (command) {
                case "publish" -> new Request("PUT", "/registry/subgraphs/" + required(options, "--name"),
                        subgraphBody(options), "publish " + options.get("--name"));
                case "check" -> new Request("POST", "/registry/subgraphs/" + required(options, "--name") + "/check"
                        + (options.containsKey("--allow-breaking") ? "?allow_breaking=true" : ""), subgraphBody(options),
                        "check " + options.get("--name"));
                case "list" -> new Request("GET", "/registry/subgraphs", null, "list");
                case "history" -> new Request("GET", "/registry/history", null, "history");
                case "fetch" -> options.containsKey("--name")
                        ? new Request("GET", "/registry/subgraphs/" + options.get("--name"), null, "fetch")
                        : new Request("GET", "/registry/supergraph", null, "supergraph");
                case "delete" -> new Request("DELETE", "/registry/subgraphs/" + required(options, "--name"), null,
                        "delete " + options.get("--name"));
                default -> null;
            };
        }
        if (group.equals("operations")) {
            return switch (command) {
                case "publish" -> new Request("PUT", "/registry/operations/" + clientPath(options),
                        read(required(options, "--manifest")), "operations " + clientPath(options));
                case "fetch" -> new Request("GET", "/registry/operations/" + clientPath(options), null, "operations");
                case "retire" -> new Request("DELETE", "/registry/operations/" + clientPath(options), null,
                        "retire " + clientPath(options));
                case "list" -> new Request("GET", "/registry/operations", null, "operations");
                default -> null;
            };
        }
        return null;
    }

    /** {@code client} or {@code client/version} (an app version's own operations). */
    private static String clientPath(Map<String, String> options) {
        String client = required(options, "--client");
        String version = options.get("--version");
        if (version == null) {
            return client;
        }
        if (!version.matches("[0-9A-Za-z][0-9A-Za-z._+-]{0,31}")) {
            throw new UsageException("--version '" + version + "' must hold only letters, digits, '.', '_', '+' and '-'");
        }
        return client + "/" + version;
    }

    private static String subgraphBody(Map<String, String> options) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("routing_url", required(options, "--routing-url"));
        body.put("sdl", read(required(options, "--schema")));
        return Json.writeString(body);
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new UsageException(name + " is required");
        }
        if ((name.equals("--name") || name.equals("--client")) && !value.matches("[A-Za-z][A-Za-z0-9_-]{0,63}")) {
            throw new UsageException(name + " '" + value + "' must start with a letter and hold only letters, digits, "
                    + "'-' and '_'");
        }
        return value;
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new UsageException("cannot read " + file + ": " + e.getMessage());
        }
    }

    private int send(String adminUrl, String token, Request request, boolean json) {
        HttpResponse<String> response;
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(adminUrl + request.path()))
                    .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + token)
                    .header("X-Atrium-Actor", env.getOrDefault("ATRIUM_ACTOR", env.getOrDefault("USER", "cli")))
                    .method(request.method(), request.body() == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(request.body()));
            if (request.body() != null) {
                builder.header("Content-Type", "application/json");
            }
            response = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | IllegalArgumentException e) {
            err.println("cannot reach the registry at " + adminUrl + ": " + e.getMessage());
            return UNREACHABLE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return UNREACHABLE;
        }
        int status = response.statusCode();
        if (status == 401) {
            err.println("the registry refused the token (ATRIUM_ROUTER_ADMIN_TOKEN)");
            return UNREACHABLE;
        }
        if (json) {
            out.println(response.body());
        } else {
            RegistryCliOutput.print(request.what(), status, response.body(), out, err);
        }
        if (status >= 400) {
            return status == 400 ? USAGE : REFUSED;
        }
        if (request.what().startsWith("check ")) {
            Object parsed = Json.read(response.body());
            return parsed instanceof Map<?, ?> map && Boolean.TRUE.equals(map.get("passed")) ? OK : REFUSED;
        }
        return OK;
    }

    private static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message, null, false, false);
        }
    }
}
