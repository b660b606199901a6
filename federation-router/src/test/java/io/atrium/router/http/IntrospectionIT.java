package io.atrium.router.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** {@code introspection: false} (the compose profile): no schema through introspection, none through suggestions. */
class IntrospectionIT {
    private static EmbeddedServer server;
    private static HttpClient client;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void start() throws Exception {
        Map<String, Object> fixture = new Yaml().load(Files.readString(
                Path.of("src/test/resources/fixtures/demo/benchmark-query.yaml")));
        Path supergraph = Files.createTempFile("supergraph", ".graphql");
        Files.writeString(supergraph, (String) fixture.get("supergraph"));
        Path config = Files.createTempFile("router", ".yaml");
        Files.writeString(config, "format_version: 1\nhot_reload: false\nintrospection: false\n");
        server = ApplicationContext.run(EmbeddedServer.class, Map.of(
                "micronaut.server.port", -1,
                "atrium.router.config", config.toString(),
                "atrium.router.supergraph", supergraph.toString()));
        client = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (client != null) {
            client.close();
        }
    }

    private static HttpResponse<String> post(String query) throws Exception {
        return client.send(HttpRequest.newBuilder(server.getURI().resolve("/graphql"))
                .header("content-type", "application/json").header("accept", "application/graphql-response+json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"query\":\"" + query.replace("\"", "\\\"") + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void introspectionIsRefusedButTypenameStillAnswers() throws Exception {
        for (String query : new String[] {"{ __schema { types { name } } }", "{ __type(name: \"User\") { fields { name } } }"}) {
            var response = post(query);
            assertThat(response.statusCode()).as(query).isEqualTo(400);
            assertThat(response.body()).as(query).contains("INTROSPECTION_DISABLED").doesNotContain("\"data\"");
        }
        assertThat(post("{ __typename }").body()).isEqualTo("{\"data\":{\"__typename\":\"Query\"}}");
    }

    @Test
    void validationErrorsSuggestNoFieldNames() throws Exception {
        var response = post("{ topProduct { upc } me { nam } }");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("GRAPHQL_VALIDATION_FAILED").doesNotContain("Did you mean")
                .doesNotContain("topProducts").doesNotContain("\"name\"");
    }
}
