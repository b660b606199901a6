package io.atrium.router.http;

import io.atrium.router.lifecycle.LiveSupergraph;
import static org.assertj.core.api.Assertions.assertThat;

import io.atrium.router.config.RouterConfig;
import io.atrium.router.supergraph.SupergraphReader;
import io.atrium.router.transport.SubgraphFetchException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** Progressive override labels per request: from the config, from the label header, only those the supergraph has. */
class OverrideLabelsTest {
    private static LiveSupergraph live(Set<String> configLabels) throws Exception {
        Map<String, Object> fixture = new Yaml().load(Files.readString(
                Path.of("src/test/resources/fixtures/override/progressive-override-custom-label.yaml")));
        RouterConfig config = new RouterConfig(null, false, true, null, Duration.ofSeconds(1),
                RouterConfig.Protocol.HTTP1, Map.of(), List.of(), configLabels, "x-labels");
        return new LiveSupergraph(SupergraphReader.read((String) fixture.get("supergraph")), config,
                request -> CompletableFuture.failedFuture(new SubgraphFetchException("no subgraphs in this test")));
    }

    @Test
    void labelsComeFromConfigAndHeaderAndUnknownOnesAreDropped() throws Exception {
        assertThat(live(Set.of()).overrideLabels(null)).isEmpty();
        assertThat(live(Set.of("beta", "unknown")).overrideLabels(null)).containsExactly("beta");
        assertThat(live(Set.of()).overrideLabels(" beta , gamma,")).containsExactly("beta");
    }
}
