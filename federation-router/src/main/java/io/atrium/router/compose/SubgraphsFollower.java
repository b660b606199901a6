package io.atrium.router.compose;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A router whose supergraph is composed from a rover-format config ({@code --subgraphs supergraph.yaml}): composed at
 * start and again every poll interval (files re-read, {@code subgraph_url}s introspected with {@code _service { sdl }}).
 * A changed supergraph that composes is handed to {@code onSupergraph}; a config or subgraph that fails keeps the
 * current one, logged once per distinct failure.
 */
public final class SubgraphsFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SubgraphsFollower.class);
    private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(10);

    private final Path config;
    private final Consumer<String> onSupergraph;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "subgraphs-follower");
        t.setDaemon(true);
        return t;
    });
    private String lastSdl;
    private String lastFailure;

    private SubgraphsFollower(Path config, Consumer<String> onSupergraph) {
        this.config = config;
        this.onSupergraph = onSupergraph;
    }

    /** Composes once now (on the caller's thread), then every {@code interval}. */
    public static SubgraphsFollower start(Path config, Duration interval, Consumer<String> onSupergraph) {
        SubgraphsFollower follower = new SubgraphsFollower(config, onSupergraph);
        follower.compose();
        follower.thread.scheduleWithFixedDelay(follower::compose, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
        return follower;
    }

    private synchronized void compose() {
        String failure;
        try {
            CompositionResult result = Composer.compose(SupergraphConfig.load(config, System::getenv)
                    .sources(FETCH_TIMEOUT));
            if (result instanceof CompositionResult.Composed composed) {
                lastFailure = null;
                if (!composed.supergraphSdl().equals(lastSdl)) {
                    lastSdl = composed.supergraphSdl();
                    onSupergraph.accept(lastSdl);
                }
                return;
            }
            failure = ((CompositionResult.Failed) result).errors().toString();
        } catch (RuntimeException e) {
            failure = e.getMessage();
        }
        if (!failure.equals(lastFailure)) {
            lastFailure = failure;
            LOG.error("subgraphs in {} do not compose, keeping the current supergraph: {}", config, failure);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
