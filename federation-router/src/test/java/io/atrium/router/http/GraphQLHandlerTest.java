package io.atrium.router.http;

import io.atrium.router.lifecycle.LiveSupergraph;
import static org.assertj.core.api.Assertions.assertThat;

import io.atrium.router.config.RouterConfig;
import io.atrium.router.json.Json;
import io.atrium.router.supergraph.SupergraphReader;
import io.atrium.router.transport.SubgraphFetchException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The request pipeline without an HTTP server or subgraphs: request errors never reach a subgraph. */
class GraphQLHandlerTest {
    private static LiveSupergraph live() throws Exception {
        Map<String, Object> fixture = new Yaml().load(Files.readString(
                Path.of("src/test/resources/fixtures/demo/benchmark-query.yaml")));
        return new LiveSupergraph(SupergraphReader.read((String) fixture.get("supergraph")), RouterConfig.defaults(),
                request -> CompletableFuture.failedFuture(new SubgraphFetchException("no subgraphs in this test")));
    }

    private static String run(GraphQLHandler handler, LiveSupergraph live, String query, String operationName)
            throws Exception {
        var outcome = handler.handle(live, new GraphQLRequest(query, operationName, Map.of(), false, false, Set.of()))
                .toCompletableFuture().get();
        return outcome.kind() + " " + Json.writeString(outcome.body());
    }

    @Test
    void introspectionCanBeSwitchedOff() throws Exception {
        assertThat(run(new GraphQLHandler(false), live(), "{ __schema { queryType { name } } }", null))
                .startsWith("REQUEST_ERROR").contains("INTROSPECTION_DISABLED");
    }

    @Test
    void operationSelectionErrors() throws Exception {
        LiveSupergraph live = live();
        GraphQLHandler handler = new GraphQLHandler(true);
        String twoOperations = "query A { __typename } query B { __typename }";
        assertThat(run(handler, live, twoOperations, null)).startsWith("REQUEST_ERROR").contains("operationName");
        assertThat(run(handler, live, twoOperations, "C")).startsWith("REQUEST_ERROR").contains("'C'");
        assertThat(run(handler, live, twoOperations, "B")).isEqualTo("EXECUTED {\"data\":{\"__typename\":\"Query\"}}");
        assertThat(run(handler, live, " ", null)).startsWith("REQUEST_ERROR").contains("BAD_REQUEST");
    }

    @Test
    void plansAreCachedPerOperation() throws Exception {
        LiveSupergraph live = live();
        GraphQLHandler handler = new GraphQLHandler(true);
        run(handler, live, "{ me { name } }", null);
        run(handler, live, "{ me { name } }", null);
        assertThat(live.plans().estimatedSize()).isEqualTo(1);
        assertThat(live.documents().size()).isEqualTo(1);
    }

    @Test
    void failedFetchGivesPartialNullDataAndTheServiceName() throws Exception {
        assertThat(run(new GraphQLHandler(true), live(), "{ me { name } }", null))
                .isEqualTo("EXECUTED {\"data\":{\"me\":null},\"errors\":[{\"message\":\"no subgraphs in this test\","
                        + "\"extensions\":{\"code\":\"SUBGRAPH_REQUEST_FAILED\",\"serviceName\":\"accounts\"}}]}");
    }
}
