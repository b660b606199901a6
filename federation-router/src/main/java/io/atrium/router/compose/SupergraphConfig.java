package io.atrium.router.compose;

import io.atrium.router.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The subgraph list of {@code rover supergraph compose --config} ({@code supergraph.yaml}):
 * <pre>
 * federation_version: =2.7.0          # optional; accepted, composition always follows the subgraphs' @link
 * subgraphs:
 *   accounts:
 *     routing_url: http://127.0.0.1:4001/graphql
 *     schema:
 *       file: ./subgraphs/accounts.graphql          # relative to this file
 *   reviews:
 *     routing_url: ${env.REVIEWS_URL}
 *     schema:
 *       subgraph_url: http://127.0.0.1:4004/graphql # introspected with { _service { sdl } }
 *       introspection_headers: { Authorization: "Bearer ${env.TOKEN}" }
 * </pre>
 * Strict: an unknown key fails with its path; {@code ${env.NAME}} is replaced by the environment variable (an
 * unset one is an error). Rover's {@code graphref} schemas (GraphOS) are refused.
 *
 * @param subgraphs subgraph name → source, in file order
 */
public record SupergraphConfig(String federationVersion, Map<String, Entry> subgraphs) {
    private static final Set<String> TOP_KEYS = Set.of("federation_version", "subgraphs");
    private static final Set<String> SUBGRAPH_KEYS = Set.of("routing_url", "schema");
    private static final Set<String> SCHEMA_KEYS = Set.of("file", "subgraph_url", "introspection_headers");
    private static final Pattern ENV = Pattern.compile("\\$\\{env\\.([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Pattern VERSION = Pattern.compile("^=?(1|2)(\\.\\d+){0,2}(-[\\w.]+)?$");

    /**
     * One subgraph: a schema {@code file} (resolved against the config's directory) or a {@code subgraphUrl} to
     * introspect, never both.
     */
    public record Entry(String name, String routingUrl, Path file, String subgraphUrl, Map<String, String> headers) {
        public Entry {
            headers = Map.copyOf(headers);
        }
    }

    public SupergraphConfig {
        subgraphs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(subgraphs));
    }

    /** Reads and checks a config file; throws {@link IllegalArgumentException} naming the offending key. */
    public static SupergraphConfig load(Path file, UnaryOperator<String> environment) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
        Object root = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        Map<String, Object> top = map(root, "(root)");
        check(top, TOP_KEYS, "");
        String version = top.get("federation_version") == null ? null : String.valueOf(top.get("federation_version"));
        if (version != null && !VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException("federation_version: '" + version + "' is not a version such as =2.7.0");
        }
        Map<String, Object> rawSubgraphs = map(top.get("subgraphs"), "subgraphs");
        if (rawSubgraphs.isEmpty()) {
            throw new IllegalArgumentException("subgraphs: at least one subgraph is required");
        }
        Path base = file.toAbsolutePath().getParent();
        Map<String, Entry> subgraphs = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : rawSubgraphs.entrySet()) {
            String path = "subgraphs." + e.getKey();
            Map<String, Object> sub = map(e.getValue(), path);
            check(sub, SUBGRAPH_KEYS, path + ".");
            Map<String, Object> schema = map(sub.get("schema"), path + ".schema");
            check(schema, SCHEMA_KEYS, path + ".schema.");
            String schemaFile = string(schema, "file", path + ".schema", environment);
            String url = string(schema, "subgraph_url", path + ".schema", environment);
            if ((schemaFile == null) == (url == null)) {
                throw new IllegalArgumentException(path + ".schema: give exactly one of 'file' or 'subgraph_url'");
            }
            Map<String, String> headers = new LinkedHashMap<>();
            if (schema.get("introspection_headers") != null) {
                map(schema.get("introspection_headers"), path + ".schema.introspection_headers").forEach((k, v) ->
                        headers.put(k, expand(String.valueOf(v), path + ".schema.introspection_headers." + k,
                                environment)));
            }
            String routingUrl = string(sub, "routing_url", path, environment);
            if (routingUrl == null) {
                routingUrl = url;
            }
            if (routingUrl == null) {
                throw new IllegalArgumentException(path + ".routing_url is required for a schema file");
            }
            subgraphs.put(e.getKey(), new Entry(e.getKey(), routingUrl,
                    schemaFile == null ? null : base.resolve(schemaFile).normalize(), url, headers));
        }
        return new SupergraphConfig(version, subgraphs);
    }

    /** Each subgraph's SDL, read from its file or introspected from its URL ({@code _service { sdl }}). */
    public List<SubgraphSource> sources(Duration timeout) {
        List<SubgraphSource> sources = new ArrayList<>();
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build()) {
            for (Entry entry : subgraphs.values()) {
                String sdl = entry.file() != null ? readFile(entry) : introspect(client, entry, timeout);
                sources.add(new SubgraphSource(entry.name(), entry.routingUrl(), sdl));
            }
        }
        return sources;
    }

    private static String readFile(Entry entry) {
        try {
            return Files.readString(entry.file());
        } catch (IOException e) {
            throw new UncheckedIOException("subgraph '" + entry.name() + "': cannot read " + entry.file(), e);
        }
    }

    private static String introspect(HttpClient client, Entry entry, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(entry.subgraphUrl())).timeout(timeout)
                .header("content-type", "application/json").header("accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"{ _service { sdl } }\"}"));
        entry.headers().forEach(request::header);
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("subgraph '" + entry.name() + "': introspecting " + entry.subgraphUrl()
                    + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("subgraph '" + entry.name() + "': " + entry.subgraphUrl() + " answered "
                    + response.statusCode() + " to { _service { sdl } }");
        }
        if (Json.read(response.body()) instanceof Map<?, ?> body && body.get("data") instanceof Map<?, ?> data
                && data.get("_service") instanceof Map<?, ?> service && service.get("sdl") instanceof String sdl) {
            return sdl;
        }
        throw new IllegalStateException("subgraph '" + entry.name() + "': " + entry.subgraphUrl()
                + " did not answer { _service { sdl } } (is it a federation subgraph?)");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String path) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(path + " must be a map");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        ((Map<Object, Object>) map).forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    private static String string(Map<String, Object> map, String key, String path, UnaryOperator<String> env) {
        Object value = map.get(key);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String s) || s.isBlank()) {
            throw new IllegalArgumentException(path + "." + key + " must be a non-empty string");
        }
        return expand(s, path + "." + key, env);
    }

    private static String expand(String value, String path, UnaryOperator<String> env) {
        Matcher m = ENV.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement = env.apply(m.group(1));
            if (replacement == null) {
                throw new IllegalArgumentException(path + ": environment variable " + m.group(1) + " is not set");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        return m.appendTail(out).toString();
    }

    private static void check(Map<String, Object> map, Set<String> allowed, String prefix) {
        for (String key : map.keySet()) {
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException("unknown key '" + prefix + key + "'; allowed: "
                        + allowed.stream().sorted().toList());
            }
        }
    }
}
