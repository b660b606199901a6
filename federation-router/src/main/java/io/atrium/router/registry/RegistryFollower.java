package io.atrium.router.registry;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a router on the registry's current state: hands every new version to {@code onVersion}, at once when the store
 * announces a change and otherwise on a poll of the version (which also catches up on a missed announcement). Runs on a
 * thread of its own; {@code onVersion} sees versions in increasing order, each at most once.
 *
 * <p>A store whose version went backwards was reset (a Redis without persistence restarted, a store restored from an
 * older copy): the follower continues from the store's version, so the next publish goes live even though its version
 * number was seen before. A reset store without a supergraph (empty) is not handed on: the router keeps the supergraph
 * and operations it serves until something is published; one with a supergraph (a restored copy) is the registry's
 * truth and is handed on, as a router starting now would load it.
 */
public final class RegistryFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryFollower.class);

    private final RegistryStore store;
    private final Consumer<RegistryState> onVersion;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "registry-follower");
        t.setDaemon(true);
        return t;
    });
    private long seen = -1;
    private boolean failing;

    private RegistryFollower(RegistryStore store, Consumer<RegistryState> onVersion) {
        this.store = store;
        this.onVersion = onVersion;
    }

    /** Reads the current state once now (on the caller's thread), then follows it. */
    public static RegistryFollower start(RegistryStore store, Duration pollInterval, Consumer<RegistryState> onVersion) {
        RegistryFollower follower = new RegistryFollower(store, onVersion);
        follower.check();
        store.onChange(() -> follower.thread.execute(follower::check));
        follower.thread.scheduleWithFixedDelay(follower::check, pollInterval.toMillis(), pollInterval.toMillis(),
                TimeUnit.MILLISECONDS);
        return follower;
    }

    private synchronized void check() {
        try {
            long version = store.version();
            if (failing) {
                LOG.info("registry reachable again at version {}", version);
                failing = false;
            }
            if (version == seen) {
                return;
            }
            if (version < seen) {
                RegistryState state = store.read();
                boolean empty = state.supergraphSdl() == null;
                LOG.warn("registry store was reset (version {} after {}){}", state.version(), seen,
                        empty ? ": it is empty, keeping the current supergraph until the next publish" : "");
                seen = state.version();
                if (!empty) {
                    onVersion.accept(state);
                }
                return;
            }
            RegistryState state = store.read();
            if (state.version() > seen) {
                seen = state.version();
                onVersion.accept(state);
            }
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.warn("registry not readable, keeping the current supergraph: {}", e.getMessage());
                failing = true;
            }
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
