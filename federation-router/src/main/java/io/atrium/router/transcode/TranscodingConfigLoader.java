package io.atrium.router.transcode;

import io.atrium.router.config.ConfigException;
import io.atrium.router.config.GrpcTls;
import static io.atrium.router.config.StrictYaml.check;
import static io.atrium.router.config.StrictYaml.map;
import static io.atrium.router.config.StrictYaml.string;
import static io.atrium.router.config.StrictYaml.strings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Loads the strict transcoding YAML (unknown keys fail with their path; relative files resolve against the file).
 *
 * <pre>
 * format_version: 1
 * host: 0.0.0.0                 # default 0.0.0.0
 * port: 4020                    # default 4020; 0 = any free port
 * path_prefix: /api             # default none
 * max_request_bytes: 1048576    # default 1 MiB; 413 beyond
 * backends:
 *   payments:
 *     target: 127.0.0.1:50051
 *     descriptor_set: classpath:META-INF/atrium/protos/atrium.desc   # default: server reflection
 *     service_config: payments.service.yaml                          # http.rules overriding annotations
 *     services: [atrium.payments.v1.Payments]                        # default: all
 *     timeout_ms: 30000
 *     forward_headers: [authorization, x-request-id]
 *     emit_defaults: false
 *     routes: {atrium.payments.v1.Payments.GetPayment: {emit_defaults: true}}
 *     reload_interval_ms: 5000
 *     tls: {ca_file: ca.pem, cert_file: client.pem, key_file: client-key.pem, server_name: payments.internal}   # GrpcTls
 * </pre>
 */
public final class TranscodingConfigLoader {
    private static final Set<String> TOP = Set.of("format_version", "host", "port", "path_prefix", "max_request_bytes",
            "backends");
    private static final Set<String> BACKEND = Set.of("target", "tls", "descriptor_set", "service_config", "services",
            "timeout_ms", "forward_headers", "emit_defaults", "routes", "reload_interval_ms");

    private TranscodingConfigLoader() {
    }

    public static TranscodingConfig load(Path file) {
        try {
            return parse(Files.readString(file), file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new ConfigException("cannot read transcoding config " + file + ": " + e.getMessage());
        }
    }

    public static TranscodingConfig parse(String yaml, Path base) {
        Map<String, Object> top = map(new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml), "");
        check(top, TOP, "");
        if (!Integer.valueOf(1).equals(top.get("format_version"))) {
            throw new ConfigException("format_version: expected 1, got " + top.get("format_version"));
        }
        String host = top.containsKey("host") ? string(top.get("host"), "host") : "0.0.0.0";
        int port = top.containsKey("port") ? integer(top.get("port"), "port", 0, 65535) : TranscodingConfig.DEFAULT_PORT;
        String prefix = top.containsKey("path_prefix") ? string(top.get("path_prefix"), "path_prefix") : "";
        if (!prefix.isEmpty() && (!prefix.startsWith("/") || prefix.endsWith("/"))) {
            throw new ConfigException("path_prefix: starts with '/' and does not end with one, e.g. /api");
        }
        int maxBytes = top.containsKey("max_request_bytes")
                ? integer(top.get("max_request_bytes"), "max_request_bytes", 1, Integer.MAX_VALUE)
                : TranscodingConfig.DEFAULT_MAX_REQUEST_BYTES;
        Map<String, Object> all = map(top.get("backends"), "backends");
        if (all.isEmpty()) {
            throw new ConfigException("backends: at least one gRPC backend is needed");
        }
        Map<String, TranscodingConfig.Backend> backends = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : all.entrySet()) {
            backends.put(entry.getKey(), backend(map(entry.getValue(), "backends." + entry.getKey()),
                    "backends." + entry.getKey(), base));
        }
        return new TranscodingConfig(host, port, prefix, maxBytes, backends);
    }

    private static TranscodingConfig.Backend backend(Map<String, Object> map, String path, Path base) {
        check(map, BACKEND, path);
        String target = string(map.get("target"), path + ".target");
        GrpcTls tls = map.containsKey("tls") ? GrpcTls.parse(map.get("tls"), path + ".tls", base) : null;
        String descriptors = null;
        if (map.containsKey("descriptor_set")) {
            descriptors = string(map.get("descriptor_set"), path + ".descriptor_set");
            if (!descriptors.startsWith("classpath:")) {
                descriptors = base.resolve(descriptors).normalize().toString();
            }
        }
        Path serviceConfig = map.containsKey("service_config")
                ? file(map.get("service_config"), path + ".service_config", base) : null;
        Set<String> services = new LinkedHashSet<>(strings(map.get("services"), path + ".services"));
        Duration timeout = map.containsKey("timeout_ms")
                ? Duration.ofMillis(integer(map.get("timeout_ms"), path + ".timeout_ms", 1, Integer.MAX_VALUE))
                : Duration.ofSeconds(30);
        List<String> headers = new ArrayList<>();
        for (String header : strings(map.get("forward_headers"), path + ".forward_headers")) {
            headers.add(header.toLowerCase(Locale.ROOT));
        }
        boolean emitDefaults = map.containsKey("emit_defaults")
                && bool(map.get("emit_defaults"), path + ".emit_defaults");
        Map<String, TranscodingConfig.RouteOptions> routes = new LinkedHashMap<>();
        if (map.containsKey("routes")) {
            for (Map.Entry<String, Object> route : map(map.get("routes"), path + ".routes").entrySet()) {
                String routePath = path + ".routes." + route.getKey();
                Map<String, Object> options = map(route.getValue(), routePath);
                check(options, Set.of("emit_defaults"), routePath);
                Boolean emit = options.containsKey("emit_defaults")
                        ? bool(options.get("emit_defaults"), routePath + ".emit_defaults") : null;
                routes.put(route.getKey(), new TranscodingConfig.RouteOptions(emit));
            }
        }
        Duration reload = map.containsKey("reload_interval_ms")
                ? Duration.ofMillis(integer(map.get("reload_interval_ms"), path + ".reload_interval_ms", 100, Integer.MAX_VALUE))
                : Duration.ofSeconds(5);
        return new TranscodingConfig.Backend(target, tls, descriptors, serviceConfig, services, timeout, headers,
                emitDefaults, routes, reload);
    }

    private static int integer(Object value, String path, int min, int max) {
        if (value instanceof Integer i && i >= min && i <= max) {
            return i;
        }
        throw new ConfigException(path + ": expected an integer in [" + min + ", " + max + "], got " + value);
    }

    private static boolean bool(Object value, String path) {
        if (value instanceof Boolean b) {
            return b;
        }
        throw new ConfigException(path + ": expected true or false, got " + value);
    }

    private static Path file(Object value, String path, Path base) {
        return base.resolve(string(value, path)).normalize();
    }

}
