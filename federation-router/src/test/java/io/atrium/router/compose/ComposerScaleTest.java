package io.atrium.router.compose;

import static org.assertj.core.api.Assertions.assertThat;

import io.atrium.router.compose.internal.Composition;
import io.atrium.router.compose.internal.Satisfiability;
import io.atrium.router.supergraph.Supergraph;
import io.atrium.router.supergraph.SupergraphReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The composer on a generated graph of 100 subgraphs: it composes and the result has every type. Prints the CPU
 * time of each stage (best of 5; CPU time, as the test machine is shared) for a look, not as a claim: the
 * benchmark lives in bench/.
 */
class ComposerScaleTest {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @Test
    void hundredSubgraphsCompose() {
        List<SubgraphSource> subgraphs = GeneratedGraph.subgraphs(100);
        CompositionResult result = Composer.compose(subgraphs);
        assertThat(result).isInstanceOf(CompositionResult.Composed.class);
        var composed = (CompositionResult.Composed) result;
        assertThat(composed.supergraph().types()).hasSizeGreaterThan(1900);
        assertThat(composed.supergraph().type("E5").fields()).containsKey("cost0");
        long compose = Long.MAX_VALUE;
        long read = Long.MAX_VALUE;
        long satisfiability = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long t0 = THREADS.getCurrentThreadCpuTime();
            String sdl = Composition.run(subgraphs).sdl();
            long t1 = THREADS.getCurrentThreadCpuTime();
            Supergraph supergraph = SupergraphReader.read(sdl);
            long t2 = THREADS.getCurrentThreadCpuTime();
            assertThat(Satisfiability.check(supergraph)).isEmpty();
            long t3 = THREADS.getCurrentThreadCpuTime();
            compose = Math.min(compose, t1 - t0);
            read = Math.min(read, t2 - t1);
            satisfiability = Math.min(satisfiability, t3 - t2);
        }
        System.out.printf("composed %d subgraphs, %d types (CPU ms, best of 5): merge+print %.0f, read %.0f,"
                        + " satisfiability %.0f%n", subgraphs.size(), composed.supergraph().types().size(),
                compose / 1e6, read / 1e6, satisfiability / 1e6);
    }
}
