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
            if (store.version() == seen) {
                return;
            }
            RegistryState state = store.read();
            if (state.version() > seen) {
                seen = state.version();
                onVersion.accept(state);
            }
            if (failing) {
                LOG.info("registry reachable again at version {}", seen);
                failing = false;
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
