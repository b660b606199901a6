package io.atrium.router.compose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code supergraph compose --config}: the checked-in example supergraph is exactly what our composer makes of
 * config/supergraph/supergraph.yaml ({@code -Dgolden.update=true} rewrites it), and the rover-format config is strict.
 */
class ComposeCommandTest {
    private static final Path EXAMPLES = Path.of("../config/supergraph");

    private record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = ComposeCommand.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void checkedInExampleSupergraphIsOurComposersOutput() throws Exception {
        Run run = run("--config", EXAMPLES.resolve("supergraph.yaml").toString());
        assertThat(run.exit()).as(run.err()).isZero();
        Path stored = EXAMPLES.resolve("examples.graphql");
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(stored, run.out());
        }
        assertThat(run.out()).isEqualTo(Files.readString(stored));
    }

    @Test
    void compositionErrorsExitWithOneAndNameTheirLocation(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.graphql"), "type Query { hello: String }\n");
        Files.writeString(dir.resolve("b.graphql"), "type Query { hello: Int }\n");
        Files.writeString(dir.resolve("supergraph.yaml"), """
                subgraphs:
                  a: { routing_url: "http://a/graphql", schema: { file: a.graphql } }
                  b: { routing_url: "http://b/graphql", schema: { file: b.graphql } }
                """);
        Run run = run("--config", dir.resolve("supergraph.yaml").toString());
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("[FIELD_TYPE_MISMATCH]").contains("Query.hello").contains("1 composition error(s)");
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertThat(run().exit()).isEqualTo(2);
        assertThat(run("--bogus").err()).contains("unknown argument '--bogus'");
        assertThat(run("--config", "/nonexistent/supergraph.yaml").exit()).isEqualTo(2);
        assertThat(run("--help").out()).contains("Usage: supergraph compose");
    }

    @Test
    void configIsStrictAndExpandsEnvironmentVariables(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("supergraph.yaml");
        Files.writeString(config, """
                federation_version: =2.7.0
                subgraphs:
                  a:
                    routing_url: ${env.A_URL}
                    schema: { file: ./a.graphql }
                """);
        SupergraphConfig loaded = SupergraphConfig.load(config, Map.of("A_URL", "http://a:4001/graphql")::get);
        assertThat(loaded.subgraphs().get("a").routingUrl()).isEqualTo("http://a:4001/graphql");
        assertThat(loaded.subgraphs().get("a").file()).isEqualTo(dir.resolve("a.graphql").toAbsolutePath());
        assertThatThrownBy(() -> SupergraphConfig.load(config, name -> null))
                .hasMessageContaining("subgraphs.a.routing_url").hasMessageContaining("A_URL is not set");

        Files.writeString(config, "subgraphs:\n  a:\n    routing_url: http://a\n    schema: { file: a.graphql, fiel: x }\n");
        assertThatThrownBy(() -> SupergraphConfig.load(config, name -> null))
                .hasMessageContaining("unknown key 'subgraphs.a.schema.fiel'");
        Files.writeString(config, "subgraphs:\n  a:\n    routing_url: http://a\n    schema: { graphref: g@v, subgraph: a }\n");
        assertThatThrownBy(() -> SupergraphConfig.load(config, name -> null))
                .hasMessageContaining("unknown key 'subgraphs.a.schema.graphref'");
        Files.writeString(config, "subgraphs:\n  a:\n    routing_url: http://a\n    schema: { file: a.graphql, subgraph_url: http://a }\n");
        assertThatThrownBy(() -> SupergraphConfig.load(config, name -> null))
                .hasMessageContaining("exactly one of 'file' or 'subgraph_url'");
    }
}
