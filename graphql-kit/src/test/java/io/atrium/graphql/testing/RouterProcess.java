package io.atrium.graphql.testing;

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

/**
 * The real federation router in registry mode (for the BFFs' tests: graphql-kit's test jar), run from its shaded jar as a child process (its Micronaut beans must
 * not join the BFF's context) on free loopback ports; its output goes to a file under target/.
 */
public final class RouterProcess implements AutoCloseable {
    public static final String TOKEN = "bff-it-admin-token";

    public final int port;
    public final int adminPort;
    private final Process process;

    public RouterProcess(Path registryDir) throws IOException, InterruptedException {
        this(registryDir, null);
    }

    /** @param config the router's YAML config (null: none, registry mode's defaults) */
    public RouterProcess(Path registryDir, String config) throws IOException, InterruptedException {
        String jar = System.getProperty("router.jar");
        if (jar == null || !Files.exists(Path.of(jar))) {
            throw new IllegalStateException("the router jar is missing (" + jar + "); build with -am so the router is "
                    + "packaged first");
        }
        port = freePort();
        adminPort = freePort();
        Path log = Path.of("target", "router-it-" + port + ".log");
        Files.createDirectories(log.getParent());
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar", jar,
                "--registry", registryDir.toString(), "--port", Integer.toString(port),
                "--admin-port", Integer.toString(adminPort)));
        if (config != null) {
            Path file = Files.createTempFile("router", ".yaml");
            Files.writeString(file, config);
            command.addAll(java.util.List.of("--config", file.toString()));
        }
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("ATRIUM_ROUTER_ADMIN_TOKEN", TOKEN);
        process = builder.start();
        awaitAdmin(log);
    }

    private void awaitAdmin(Path log) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plusSeconds(60);
        try (HttpClient client = HttpClient.newHttpClient()) {
            while (Instant.now().isBefore(deadline)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the router exited: " + Files.readString(log));
                }
                try {
                    HttpResponse<Void> response = client.send(HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + adminPort + "/registry/subgraphs"))
                            .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(2)).build(),
                            HttpResponse.BodyHandlers.discarding());
                    if (response.statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("the router's admin API did not answer within 60 s: " + Files.readString(log));
    }

    public String graphqlUrl() {
        return "http://127.0.0.1:" + port + "/graphql";
    }

    public String adminUrl() {
        return "http://127.0.0.1:" + adminPort;
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
