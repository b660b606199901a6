package io.atrium.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every metric a Grafana dashboard of the compose "observability" profile queries is one a running deployable
 * exports: the edge, the router and bff-mobile run here from their jars (built earlier in the reactor), get a little
 * traffic (a rate-limited route, a query whose subgraph is down, a BFF request), and their /metrics are scraped.
 */
class DashboardMetricsIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final List<Process> PROCESSES = new ArrayList<>();
    private static int edgeHttp;
    private static int edgeAdmin;
    private static int router;
    private static int routerAdmin;
    private static int bff;

    @BeforeAll
    static void start() throws Exception {
        Path dir = Files.createTempDirectory("dashboards");
        edgeHttp = freePort();
        edgeAdmin = freePort();
        router = freePort();
        routerAdmin = freePort();
        bff = freePort();
        Path routes = dir.resolve("edge.yaml");
        Files.writeString(routes, """
                format_version: 1
                listeners:
                  http: { host: 127.0.0.1, port: %d }
                clusters:
                  router: { endpoints: [ "http://127.0.0.1:%d" ] }
                routes:
                  - name: graphql
                    match: { path_prefix: /graphql }
                    cluster: router
                    auth: { public: true }
                    rate_limit: { key: client_ip, limits: [ { requests: 2, period: 1m } ] }
                """.formatted(edgeHttp, router));
        Path bffConfig = dir.resolve("bff.yaml");
        Files.writeString(bffConfig, """
                format_version: 1
                name: bff-mobile
                router: { url: "http://127.0.0.1:%d/graphql" }
                registry: { admin_url: "http://127.0.0.1:%d" }
                operations: { source: registry, require_id: true }
                """.formatted(router, routerAdmin));
        PROCESSES.add(java(jar("federation-router"), List.of(), "--supergraph",
                ROOT.resolve("config/supergraph/examples.graphql").toString(), "--port", Integer.toString(router),
                "--admin-port", Integer.toString(routerAdmin)));
        PROCESSES.add(java(jar("edge-proxy"), List.of("ATRIUM_PORT=" + edgeAdmin, "ATRIUM_EDGE_CONFIG=" + routes)));
        PROCESSES.add(java(jar("bff-mobile"), List.of("ATRIUM_PORT=" + bff), "--config", bffConfig.toString()));
        awaitOk("http://127.0.0.1:" + router + "/health");
        awaitOk("http://127.0.0.1:" + edgeAdmin + "/health");
        awaitOk("http://127.0.0.1:" + bff + "/health");
        for (int i = 0; i < 4; i++) { // the third and fourth are rate limited; the subgraphs are not running
            post("http://127.0.0.1:" + edgeHttp + "/graphql", "{\"query\":\"{ topProducts { upc } }\"}");
        }
        post("http://127.0.0.1:" + bff + "/graphql", "{\"extensions\":{\"persistedQuery\":{\"version\":1,"
                + "\"sha256Hash\":\"0000000000000000000000000000000000000000000000000000000000000000\"}}}");
    }

    @AfterAll
    static void stop() {
        PROCESSES.forEach(Process::destroy);
    }

    @Test
    void everyMetricADashboardQueriesIsExported() throws Exception {
        Set<String> exported = new TreeSet<>();
        exported.addAll(names(get("http://127.0.0.1:" + edgeAdmin + "/metrics")));
        exported.addAll(names(get("http://127.0.0.1:" + routerAdmin + "/metrics")));
        exported.addAll(names(get("http://127.0.0.1:" + bff + "/metrics")));
        Set<String> queried = new TreeSet<>();
        try (Stream<Path> dashboards = Files.list(ROOT.resolve("config/observability/grafana/dashboards"))) {
            for (Path dashboard : dashboards.toList()) {
                Matcher m = Pattern.compile("\\batrium_[a-z0-9_]+").matcher(Files.readString(dashboard));
                while (m.find()) {
                    queried.add(m.group());
                }
            }
        }
        assertTrue(queried.size() >= 15, "the dashboards query the deployables' meters: " + queried);
        Set<String> missing = new TreeSet<>(queried);
        missing.removeAll(exported);
        assertEquals(Set.of(), missing, "queried by a dashboard but exported by no deployable");
    }

    @Test
    void prometheusScrapesEveryDeployablesMetricsPort() throws IOException {
        String prometheus = Files.readString(ROOT.resolve("config/observability/prometheus.yml"));
        for (String target : List.of("edge-proxy:9901", "federation-router:9902", "bff-web:8081", "bff-mobile:8082")) {
            assertTrue(prometheus.contains("\"" + target + "\""), target);
        }
    }

    private static Set<String> names(String scrape) {
        Set<String> names = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }

    private static Process java(Path jar, List<String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx192m", "-XX:+UseSerialGC", "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        for (String pair : env) {
            String[] kv = pair.split("=", 2);
            builder.environment().put(kv[0], kv[1]);
        }
        builder.environment().put("ATRIUM_ROUTER_ADMIN_TOKEN", "dashboard-test-token");
        return builder.start();
    }

    private static Path jar(String module) throws IOException {
        try (Stream<Path> files = Files.list(ROOT.resolve(module).resolve("target"))) {
            return files.filter(p -> p.getFileName().toString().matches("atrium-" + module + "-[0-9].*\\.jar")
                    && !p.getFileName().toString().startsWith("original-")).findFirst()
                    .orElseThrow(() -> new IllegalStateException(module + " is not packaged (run the reactor build)"));
        }
    }

    private static void awaitOk(String url) throws Exception {
        Instant deadline = Instant.now().plusSeconds(120);
        while (Instant.now().isBefore(deadline)) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.onSpinWait();
            Thread.sleep(200); // polling a process we do not control: there is no event to await
        }
        throw new AssertionError(url + " did not become healthy");
    }

    private static String get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static void post(String url, String body) throws Exception {
        HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("content-type", "application/json")
                .header("apollographql-client-name", "ios").header("apollographql-client-version", "5.2.0")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
