package io.atrium.edge.proxy.internal;

import io.atrium.edge.config.Endpoint;

import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The resolved socket address of one endpoint, shared by all I/O threads. Name resolution is blocking in the JDK, so it
 * never runs on an event loop: the address is resolved at start-up and re-resolved on a virtual thread after a
 * connect failure (at most once a second), so a service that moved is found again without blocking the data path.
 */
final class UpstreamAddress {

    private static final long REFRESH_INTERVAL_NANOS = 1_000_000_000L;

    private final Endpoint endpoint;
    private volatile InetSocketAddress address;
    private volatile long lastRefresh = System.nanoTime();
    private final AtomicBoolean refreshing = new AtomicBoolean();

    UpstreamAddress(Endpoint endpoint) {
        this.endpoint = endpoint;
        this.address = new InetSocketAddress(endpoint.host(), endpoint.port());
    }

    Endpoint endpoint() {
        return endpoint;
    }

    /** The current address; may be unresolved when the name did not resolve yet. */
    InetSocketAddress address() {
        return address;
    }

    void refreshSoon() {
        if (System.nanoTime() - lastRefresh < REFRESH_INTERVAL_NANOS || !refreshing.compareAndSet(false, true)) {
            return;
        }
        Thread.ofVirtual().name("atrium-edge-resolve").start(() -> {
            try {
                InetSocketAddress fresh = new InetSocketAddress(endpoint.host(), endpoint.port());
                if (!fresh.isUnresolved()) {
                    address = fresh;
                }
            } finally {
                lastRefresh = System.nanoTime();
                refreshing.set(false);
            }
        });
    }
}
