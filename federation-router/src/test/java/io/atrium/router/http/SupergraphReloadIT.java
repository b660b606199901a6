package io.atrium.router.http;

import io.atrium.router.lifecycle.SupergraphLifecycle;
import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** Hot reload: a valid new supergraph is swapped in; an invalid one is refused and the old one keeps serving. */
class SupergraphReloadIT {

    @SuppressWarnings("unchecked")
    private static String supergraphOf(String fixture) throws Exception {
        Map<String, Object> map = new Yaml().load(Files.readString(Path.of("src/test/resources/fixtures/" + fixture)));
        return (String) map.get("supergraph");
    }

    private static void write(Path file, String text, int generation) throws Exception {
        Files.writeString(file, text);
        // Distinct modification times even on file systems with coarse timestamps.
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(generation)));
    }

    private static HttpResponse<String> awaitHealth(HttpClient client, EmbeddedServer server, Predicate<String> condition)
            throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        HttpResponse<String> response;
        do {
            response = client.send(HttpRequest.newBuilder(server.getURI().resolve("/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (condition.test(response.body())) {
                return response;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        return response;
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(condition.getAsBoolean()).as("condition reached within 10 s").isTrue();
    }

    @Test
    void swapsValidSupergraphsAndKeepsTheOldOneOnFailure() throws Exception {
        Path file = Files.createTempFile("supergraph", ".graphql");
        write(file, supergraphOf("operations/mutation-order.yaml"), 0);
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "micronaut.server.port", -1, "atrium.router.supergraph", file.toString()));
             HttpClient client = HttpClient.newHttpClient()) {
            String first = awaitHealth(client, server, body -> body.contains("UP")).body();
            assertThat(first).contains("UP");

            var mutationOverGet = client.send(HttpRequest.newBuilder(server.getURI().resolve("/graphql?query="
                            + URLEncoder.encode("mutation { first }", StandardCharsets.UTF_8)))
                    .header("apollo-require-preflight", "true").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(mutationOverGet.statusCode()).isEqualTo(405);
            assertThat(mutationOverGet.headers().firstValue("allow")).hasValue("POST");

            write(file, supergraphOf("demo/benchmark-query.yaml"), 5);
            String second = awaitHealth(client, server, body -> !body.equals(first)).body();
            assertThat(second).contains("UP").isNotEqualTo(first);

            SupergraphLifecycle manager = server.getApplicationContext().getBean(SupergraphLifecycle.class);
            write(file, "this is not a supergraph", 10);
            await(() -> manager.reloadFailures() == 1);
            var probe = client.send(HttpRequest.newBuilder(server.getURI().resolve("/graphql"))
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"{ __type(name: \\\"Product\\\") { name } }\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(probe.body()).contains("\"name\":\"Product\"");
            assertThat(awaitHealth(client, server, body -> true).body())
                    .as("a broken file never replaces the live supergraph").isEqualTo(second);
        }
    }
}
