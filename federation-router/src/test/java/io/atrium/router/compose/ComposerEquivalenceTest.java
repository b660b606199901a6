package io.atrium.router.compose;

import static org.assertj.core.api.Assertions.assertThat;

import io.atrium.router.compose.internal.Composition;
import io.atrium.router.supergraph.Supergraph;
import io.atrium.router.supergraph.SupergraphException;
import io.atrium.router.supergraph.SupergraphReader;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Our composer against {@code @apollo/composition} on every subgraph set the repository holds: each must compose to
 * a supergraph with the same API schema and the same join metadata (up to order) as the stored one.
 */
class ComposerEquivalenceTest {

    @Test
    void everyStoredSupergraphIsReproduced() {
        List<ComposeCorpus.Case> cases = ComposeCorpus.all();
        List<String> mismatches = new ArrayList<>();
        int identical = 0;
        for (ComposeCorpus.Case c : cases) {
            CompositionResult result = Composer.compose(c.subgraphs());
            if (result instanceof CompositionResult.Composed composed
                    && composed.supergraphSdl().strip().equals(c.storedSupergraph().strip())) {
                identical++;
            }
            String problem = compare(c, result);
            if (problem != null) {
                mismatches.add(c.name() + ": " + problem);
            }
        }
        System.out.println("composer equivalence: " + (cases.size() - mismatches.size()) + " of " + cases.size()
                + " subgraph sets compose to a supergraph equivalent to @apollo/composition's (" + identical
                + " byte-identical)");
        assertThat(mismatches).as("subgraph sets whose composition differs from the stored supergraph").isEmpty();
    }

    /** The comparison itself can fail: a stored supergraph minus one join directive is not equivalent. */
    @Test
    void normalizedFormSeesAMissingJoinDirective() {
        ComposeCorpus.Case examples = ComposeCorpus.examples();
        String stored = examples.storedSupergraph();
        String changed = stored.replaceFirst(" @join__field\\(graph: REVIEWS, provides: \"username\"\\)", "");
        assertThat(changed).isNotEqualTo(stored);
        assertThat(SupergraphNormalizer.joinLines(changed)).isNotEqualTo(SupergraphNormalizer.joinLines(stored));
        assertThat(compare(new ComposeCorpus.Case("changed", examples.subgraphs(), changed),
                Composer.compose(examples.subgraphs())))
                .contains("join metadata differs").contains("provides");
    }

    /**
     * Null when our result is equivalent to the stored supergraph, else why not. A supergraph the router refuses to
     * serve (a SECURITY feature it does not enforce yet, e.g. {@code @policy}) is compared on its SDL alone.
     */
    static String compare(ComposeCorpus.Case c, CompositionResult result) {
        String sdl;
        Supergraph actual = null;
        if (result instanceof CompositionResult.Composed composed) {
            sdl = composed.supergraphSdl();
            actual = composed.supergraph();
        } else if (((CompositionResult.Failed) result).errors().stream()
                .allMatch(e -> e.code().equals(ErrorCode.SUPERGRAPH_NOT_SERVABLE))) {
            sdl = Composition.run(c.subgraphs()).sdl();
        } else {
            return "did not compose: " + ((CompositionResult.Failed) result).errors();
        }
        TreeSet<String> expectedLines = SupergraphNormalizer.joinLines(c.storedSupergraph());
        TreeSet<String> actualLines = SupergraphNormalizer.joinLines(sdl);
        if (!expectedLines.equals(actualLines)) {
            TreeSet<String> missing = new TreeSet<>(expectedLines);
            missing.removeAll(actualLines);
            TreeSet<String> extra = new TreeSet<>(actualLines);
            extra.removeAll(expectedLines);
            return "join metadata differs: missing " + missing + ", unexpected " + extra;
        }
        Supergraph expected;
        try {
            expected = SupergraphReader.read(c.storedSupergraph());
        } catch (SupergraphException e) {
            return actual == null ? null : "the router reads our supergraph but not Apollo's: " + e.getMessage();
        }
        if (actual == null) {
            return "the router reads Apollo's supergraph but not ours: " + result;
        }
        String expectedApi = SupergraphNormalizer.apiSchema(expected);
        String actualApi = SupergraphNormalizer.apiSchema(actual);
        if (!expectedApi.equals(actualApi)) {
            return "API schema differs:\n" + expectedApi + "\n---\n" + actualApi;
        }
        return null;
    }
}
