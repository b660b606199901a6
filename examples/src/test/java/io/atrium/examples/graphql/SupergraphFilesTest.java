package io.atrium.examples.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import io.atrium.examples.ExampleService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The checked-in supergraphs (config/supergraph, composed by the router's composer) match these subgraphs. */
class SupergraphFilesTest {

    private static final Path SUPERGRAPH = Path.of("..", "config", "supergraph");

    @Test
    void localSupergraphRoutesEverySubgraphToItsLoopbackPort() throws IOException {
        String supergraph = Files.readString(SUPERGRAPH.resolve("examples.graphql"));

        assertThat(supergraph).contains("@link(url: \"https://specs.apollo.dev/join/v0.3\"");
        for (ExampleService service : subgraphs()) {
            assertThat(supergraph).contains("@join__graph(name: \"%s\", url: \"http://127.0.0.1:%d/graphql\")"
                    .formatted(service.serviceName(), service.defaultPort()));
        }
    }

    @Test
    void benchmarkAnswerIsTheLargeReferenceResponse() throws IOException {
        long size = Files.size(SUPERGRAPH.resolve("benchmark-answer.json"));

        assertThat(size).isBetween(80_000L, 96_000L);
    }

    private static ExampleService[] subgraphs() {
        return Arrays.stream(ExampleService.values()).filter(ExampleService::subgraph).toArray(ExampleService[]::new);
    }
}
