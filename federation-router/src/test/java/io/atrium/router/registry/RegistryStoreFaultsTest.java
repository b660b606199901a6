package io.atrium.router.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A registry store that fails or is reset under the router: the admin API answers 503 REGISTRY_UNAVAILABLE instead of
 * dropping the connection, and the follower keeps the live state across a reset and follows the next publish even
 * though its version number was seen before. (system-tests' RegistryRedisFaultsIT does both with a real Redis.)
 */
class RegistryStoreFaultsTest {

    /** An in-memory store whose state can be replaced (a reset) or made unreachable. */
    private static final class FlakyStore implements RegistryStore {
        volatile RegistryState state = RegistryState.EMPTY;
        volatile boolean down;

        @Override
        public RegistryState read() {
            if (down) {
                throw new RegistryUnavailableException("the registry store is unreachable: test", null);
            }
            return state;
        }

        @Override
        public synchronized boolean compareAndSet(long expectedVersion, RegistryState next) {
            if (read().version() != expectedVersion) {
                return false;
            }
            state = next;
            return true;
        }
    }

    private static RegistryState version(long version, String sdl) {
        return new RegistryState(version, Map.of(), sdl, null, Map.of(), List.of());
    }

    @Test
    void adminApiAnswers503ProblemWhileTheStoreIsUnreachable() {
        FlakyStore store = new FlakyStore();
        RegistryAdminApi api = new RegistryAdminApi(new SubgraphRegistry(store, Clock.systemUTC()), "t");
        store.down = true;

        AdminResponse response = api.handle("GET", "/registry/subgraphs", null, "Bearer t", null, new byte[0]);

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.body()).contains("REGISTRY_UNAVAILABLE");
        assertThat(response.headers()).containsEntry("Retry-After", "1");
    }

    @Test
    void followerKeepsTheLiveStateAcrossAResetAndFollowsTheNextPublish() throws Exception {
        FlakyStore store = new FlakyStore();
        store.state = version(3, "v3");
        List<String> seen = new CopyOnWriteArrayList<>();
        try (RegistryFollower follower = RegistryFollower.start(store, Duration.ofMillis(10),
                state -> seen.add(state.supergraphSdl()))) {
            assertThat(seen).containsExactly("v3");

            store.down = true;           // unreachable: nothing handed on
            store.state = RegistryState.EMPTY;
            store.down = false;          // back, empty: the reset is not handed on (v3 stays live)
            store.state = version(1, "after reset"); // the next publish reuses version 1
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (seen.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10); // polling the follower's condition, bounded
            }
            assertThat(seen).containsExactly("v3", "after reset");
        }
    }
}
