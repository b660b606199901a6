package io.atrium.edge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * There is no Docker engine on our machines, so compose.yaml and the Dockerfiles are validated statically:
 * everything a `docker compose up --build` needs exists, every service is health-checked, and every upstream URL
 * the containers will call names a compose service on a port that service listens on.
 */
class ComposeFileTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern URL = Pattern.compile("https?://[A-Za-z0-9._-]+(:\\d+)?[^\\s\"']*");

    private static Map<String, Map<String, Object>> services;

    @BeforeAll
    static void parseComposeFile() throws IOException {
        Path compose = ROOT.resolve("compose.yaml");
        assertThat(compose).as("compose.yaml at the repository root").exists();
        Map<String, Object> document = load(compose);
        services = cast(document.get("services"));
        assertThat(services).as("compose services").isNotEmpty();
    }

    @Test
    void everyBuildContextAndDockerfileExists() throws IOException {
        int built = 0;
        for (var entry : services.entrySet()) {
            Map<String, Object> build = cast(entry.getValue().get("build"));
            if (build == null) {
                assertThat(entry.getValue().get("image")).as("%s has neither build nor image", entry.getKey()).isNotNull();
                continue;
            }
            built++;
            Path context = ROOT.resolve((String) build.get("context")).normalize();
            Path dockerfile = context.resolve((String) build.getOrDefault("dockerfile", "Dockerfile"));
            assertThat(context).as("build context of %s", entry.getKey()).isDirectory();
            assertThat(dockerfile).as("Dockerfile of %s", entry.getKey()).isRegularFile();
            assertIsMultiStageNonRootAndHealthChecked(dockerfile);
        }
        assertThat(built).as("services built from this repository").isGreaterThanOrEqualTo(5);
    }

    @Test
    void everyServiceHasAHealthcheck() {
        for (var entry : services.entrySet()) {
            if ("no".equals(entry.getValue().get("restart"))) {
                continue; // a one-shot job (e.g. registering subgraphs) runs to completion; it has no health
            }
            if (entry.getValue().containsKey("profiles")) {
                continue; // optional third-party tooling (dev OIDC provider, Prometheus, Grafana, Jaeger): not the stack
            }
            Map<String, Object> healthcheck = cast(entry.getValue().get("healthcheck"));
            assertThat(healthcheck).as("healthcheck of %s", entry.getKey()).isNotNull();
            assertThat(healthcheck.get("test")).as("healthcheck test of %s", entry.getKey()).isNotNull();
        }
    }

    @Test
    void theWholeTopologyIsThere() {
        assertThat(services).containsKeys("redis", "accounts", "products", "inventory", "reviews", "orders", "payments",
                "federation-router", "bff-web", "bff-mobile", "edge-proxy");
        assertThat(listensOn("edge-proxy")).contains(8080, 8443, 9901);
        assertThat(listensOn("federation-router")).contains(4000);
        assertThat(listensOn("bff-web")).contains(8081);
        assertThat(listensOn("bff-mobile")).contains(8082);
    }

    @Test
    void dependenciesNameExistingServices() {
        for (var entry : services.entrySet()) {
            Object dependsOn = entry.getValue().get("depends_on");
            Iterable<?> names = dependsOn instanceof Map<?, ?> map ? map.keySet() : dependsOn instanceof List<?> list ? list : List.of();
            for (Object name : names) {
                assertThat(services).as("%s depends on %s", entry.getKey(), name).containsKey((String) name);
            }
        }
    }

    @Test
    void mountedFilesExist() {
        for (var entry : services.entrySet()) {
            for (String volume : this.<String>listOf(entry.getValue().get("volumes"))) {
                String source = volume.substring(0, volume.indexOf(':'));
                if (source.startsWith(".")) {
                    assertThat(ROOT.resolve(source).normalize()).as("volume of %s", entry.getKey()).exists();
                }
            }
        }
    }

    @Test
    void edgeUpstreamsNameServicesOnPortsTheyListenOn() throws IOException {
        Path edgeConfig = mountedFile("edge-proxy", (String) environment("edge-proxy").get("ATRIUM_EDGE_CONFIG"));
        // an issuer is an identifier the tokens carry, not something the edge calls
        List<URI> upstreams = urlsIn(Files.readString(edgeConfig).lines()
                .filter(line -> !line.strip().startsWith("issuers:")).collect(java.util.stream.Collectors.joining("\n")));
        assertThat(upstreams).as("upstream URLs in %s", edgeConfig).isNotEmpty();
        assertUrlsReachServices(upstreams, edgeConfig);
    }

    @Test
    void everyRegisteredSubgraphIsAComposeServiceOnAPortItListensOn() throws IOException {
        Path schemas = mountedFile("register-subgraphs", "/etc/atrium/subgraphs");
        String script = this.<String>listOf(services.get("register-subgraphs").get("command")).getFirst();
        Matcher loop = Pattern.compile("for s in ([^;]+);").matcher(script);
        assertThat(loop.find()).as("the subgraphs register-subgraphs publishes").isTrue();
        Set<String> registered = new HashSet<>();
        for (String pair : loop.group(1).trim().split("\\s+")) {
            String name = pair.substring(0, pair.indexOf(':'));
            registered.add(name + ".graphql");
            assertUrlsReachServices(List.of(URI.create("http://" + pair + "/graphql")), schemas);
        }
        try (var files = Files.list(schemas)) {
            assertThat(files.map(f -> f.getFileName().toString())).as("subgraph schemas in %s", schemas)
                    .containsExactlyInAnyOrderElementsOf(registered);
        }
        Path routerConfig = mountedFile("federation-router", "/etc/atrium/router.yaml");
        Map<String, Object> overrides = cast(load(routerConfig).get("subgraphs"));
        for (var override : overrides.entrySet()) {
            Map<String, Object> subgraph = cast(override.getValue());
            assertUrlsReachServices(List.of(URI.create((String) subgraph.get("url"))), routerConfig);
        }
    }

    /**
     * compose.replicas.yaml: it scales compose.yaml's edge, router and BFFs only, replaces (not appends to) the edge's
     * published ports with host ranges of one port per replica on the ports the edge publishes alone, gives every edge
     * replica one signing key, and what the replicas share is in compose's Redis (registry, APQ, edge rate limits).
     */
    @Test
    void theReplicasOverlayScalesTheDeployablesWhoseSharedStateIsInRedis() throws IOException {
        String text = Files.readString(ROOT.resolve("compose.replicas.yaml"));
        assertThat(text).as("the edge's ports replace compose.yaml's (a sequence would be appended)").contains("ports: !override");
        Map<String, Object> document = new Yaml(new SafeConstructor(new LoaderOptions())).load(text.replace("!override", ""));
        Map<String, Map<String, Object>> overlay = cast(document.get("services"));
        assertThat(overlay.keySet()).containsExactlyInAnyOrder("federation-router", "bff-web", "bff-mobile", "edge-proxy");
        for (var service : overlay.entrySet()) {
            assertThat(services).containsKey(service.getKey());
            Map<String, Object> deploy = cast(service.getValue().get("deploy"));
            assertThat(deploy.get("replicas")).as("replicas of %s", service.getKey()).isEqualTo(2);
        }
        Set<Integer> published = new HashSet<>();
        for (Object spec : listOf(services.get("edge-proxy").get("ports"))) {
            published.add(Integer.parseInt(spec.toString().substring(spec.toString().lastIndexOf(':') + 1)));
        }
        Set<Integer> ranged = new HashSet<>();
        Pattern range = Pattern.compile("(?:[\\d.]+:)?(\\d+)-(\\d+):(\\d+)");
        for (String spec : this.<String>listOf(overlay.get("edge-proxy").get("ports"))) {
            Matcher ports = range.matcher(spec);
            assertThat(ports.matches()).as("%s publishes a host range", spec).isTrue();
            assertThat(Integer.parseInt(ports.group(2)) - Integer.parseInt(ports.group(1)) + 1).as("host ports in %s", spec)
                    .isEqualTo(2);
            ranged.add(Integer.parseInt(ports.group(3)));
        }
        assertThat(ranged).as("container ports the replicas publish").isEqualTo(published);
        Map<String, Object> edgeEnvironment = cast(overlay.get("edge-proxy").get("environment"));
        assertThat(edgeEnvironment).containsKey("ATRIUM_EDGE_SIGNING_KEY");

        assertThat(this.<String>listOf(services.get("federation-router").get("command"))).containsSubsequence("--registry", "redis://redis:6379");
        Map<String, Object> apq = cast(load(mountedFile("federation-router", "/etc/atrium/router.yaml")).get("apq"));
        assertThat(apq.get("redis_url")).isEqualTo("redis://redis:6379");
        Path edgeConfig = mountedFile("edge-proxy", (String) environment("edge-proxy").get("ATRIUM_EDGE_CONFIG"));
        Map<String, Object> rateLimit = cast(load(edgeConfig).get("rate_limit"));
        assertThat(rateLimit).as("rate_limit in %s", edgeConfig).containsEntry("store", "redis");
    }

    private void assertUrlsReachServices(List<URI> urls, Path source) {
        for (URI url : urls) {
            assertThat(services).as("%s in %s names a compose service", url, source).containsKey(url.getHost());
            int port = url.getPort() == -1 ? 80 : url.getPort();
            assertThat(listensOn(url.getHost())).as("ports %s listens on (for %s in %s)", url.getHost(), url, source)
                    .contains(port);
        }
    }

    private static void assertIsMultiStageNonRootAndHealthChecked(Path dockerfile) throws IOException {
        List<String> lines = Files.readAllLines(dockerfile).stream().map(String::strip).toList();
        assertThat(lines.stream().filter(l -> l.startsWith("FROM ")).count()).as("stages in %s", dockerfile).isGreaterThanOrEqualTo(2);
        assertThat(lines).as("%s copies from the build stage", dockerfile).anyMatch(l -> l.startsWith("COPY --from="));
        assertThat(lines).as("%s has a HEALTHCHECK", dockerfile).anyMatch(l -> l.startsWith("HEALTHCHECK "));
        String lastUser = lines.stream().filter(l -> l.startsWith("USER ")).reduce((a, b) -> b).orElse("USER root");
        assertThat(lastUser).as("%s runs as a non-root user", dockerfile).isNotIn("USER root", "USER 0");
    }

    /** Container ports a service listens on: its `expose` list and the container side of `ports`. */
    private Set<Integer> listensOn(String service) {
        Set<Integer> ports = new HashSet<>();
        for (Object exposed : listOf(services.get(service).get("expose"))) {
            ports.add(Integer.parseInt(exposed.toString()));
        }
        for (Object published : listOf(services.get(service).get("ports"))) {
            String spec = published.toString();
            ports.add(Integer.parseInt(spec.substring(spec.lastIndexOf(':') + 1).replace("/tcp", "")));
        }
        return ports;
    }

    private Map<String, Object> environment(String service) {
        Map<String, Object> environment = cast(services.get(service).get("environment"));
        return environment == null ? Map.of() : environment;
    }

    private Path mountedFile(String service, String containerPath) {
        assertThat(containerPath).as("path of the file %s reads", service).isNotNull();
        for (String volume : this.<String>listOf(services.get(service).get("volumes"))) {
            String[] parts = volume.split(":");
            if (parts[1].equals(containerPath)) {
                return ROOT.resolve(parts[0]).normalize();
            }
        }
        throw new AssertionError(service + " mounts nothing at " + containerPath);
    }

    private static List<URI> urlsIn(String text) {
        List<URI> urls = new ArrayList<>();
        Matcher matcher = URL.matcher(text);
        while (matcher.find()) {
            urls.add(URI.create(matcher.group()));
        }
        return urls;
    }

    private static Map<String, Object> load(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file)) {
            return new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
        }
    }

    @SuppressWarnings("unchecked")
    private <T> List<T> listOf(Object value) {
        return value == null ? List.of() : (List<T>) value;
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Object value) {
        return (T) value;
    }
}
