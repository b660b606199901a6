package io.atrium.router.registry;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A router whose supergraph comes from the registry: it opens the store (a directory, or Redis shared by every
 * instance), serves the registry's admin API on its admin listener, and hands every new registry version to the
 * router ({@code onVersion}), which swaps the supergraph in.
 *
 * @param store     a directory, or {@code redis://host:port} / {@code rediss://…} (keys under {@code atrium:registry:})
 * @param adminHost where the admin listener binds (default loopback: never the public port)
 * @param adminPort its port (0: any free one)
 * @param token     the admin token every registry request must carry
 */
public record RegistryMode(String store, String adminHost, int adminPort, String token) {
    public static final String REDIS_PREFIX = "atrium:registry:";
    private static final Duration POLL = Duration.ofMillis(200);

    /** The running parts; closing stops the admin listener, the follower and the store, in that order. */
    public record Running(RegistryStore store, SubgraphRegistry registry, RegistryAdminServer admin,
                          RegistryFollower follower) implements AutoCloseable {
        @Override
        public void close() {
            admin.close();
            follower.close();
            store.close();
        }
    }

    public Running start(Consumer<RegistryState> onVersion) {
        return start(onVersion, null);
    }

    /** @param metrics the router's Prometheus text, served at {@code /metrics} on the admin listener; null = none */
    public Running start(Consumer<RegistryState> onVersion, java.util.function.Supplier<String> metrics) {
        RegistryStore opened = open();
        try {
            SubgraphRegistry registry = new SubgraphRegistry(opened, Clock.systemUTC());
            RegistryAdminServer admin = RegistryAdminServer.start(adminHost, adminPort,
                    new RegistryAdminApi(registry, token), metrics);
            return new Running(opened, registry, admin, RegistryFollower.start(opened, POLL, onVersion));
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
    }

    private RegistryStore open() {
        if (store.startsWith("redis://") || store.startsWith("rediss://")) {
            return RedisRegistryStore.connect(store, REDIS_PREFIX, Duration.ofSeconds(5));
        }
        return new FileRegistryStore(Path.of(store));
    }
}
