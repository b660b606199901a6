package io.atrium.edge.proxy.internal;

import io.atrium.edge.config.ClientTimeouts;
import io.netty.channel.Channel;

/**
 * The wait of an HTTP/1.1 client connection for its next request head (limits.idle_timeout and
 * request_header_timeout): a fresh connection must deliver its first head within the request-header timeout; a
 * kept-alive one may stay silent for the idle timeout, and once a byte of a next request arrives, its head must be
 * complete within the request-header timeout.
 *
 * <p>The switch from the idle to the header wait is made at the end of the read that brought the first byte, and only
 * when that read did not already complete the head: a head normally arrives in one read, and then no timer moves.
 * Confined to the connection's event loop.
 */
final class HeadWait {

    /** What happens when a wait runs out. */
    interface Owner {
        /** True while an exchange is in progress or the connection is closing: then no wait applies. */
        boolean busy();

        /** The idle keep-alive wait ran out: close quietly. */
        void idleTimedOut();

        /** A started head was not completed in time (slowloris). */
        void headerTimedOut();
    }

    private final ReadActivity activity;
    private final ClientTimeouts timeouts;
    private final Owner owner;
    private final LoopTimer timer;
    private final Runnable onFirstByte = () -> this.headBytesArrived = true;
    /** Whether the running wait is for a started head (else for the first byte of one). */
    private boolean header;
    private boolean headBytesArrived;

    HeadWait(Channel ch, ReadActivity activity, ClientTimeouts timeouts, Owner owner) {
        this.activity = activity;
        this.timeouts = timeouts;
        this.owner = owner;
        this.timer = new LoopTimer(ch.eventLoop(), this::expired);
    }

    /** A fresh connection: its first head must be complete within the request-header timeout. */
    void startFresh() {
        stop();
        header = true;
        timer.set(timeouts.requestHeader().toNanos());
    }

    /** A kept-alive connection between exchanges: idle until a byte of the next head arrives. */
    void startIdle() {
        headBytesArrived = false;
        header = false;
        timer.set(timeouts.idle().toNanos());
        activity.armFirstByte(onFirstByte);
    }

    /** An exchange started (or the connection left HTTP/1.1): no wait applies until the next start. */
    void stop() {
        headBytesArrived = false;
        timer.clear();
        activity.disarm();
    }

    /** The connection goes away: also drops the pending timer task so nothing keeps the connection reachable. */
    void cancel() {
        stop();
        timer.cancel();
    }

    /** End of a read: bytes of a head arrived without completing it, so the header timeout starts now. */
    void readComplete() {
        if (headBytesArrived && !owner.busy()) {
            headBytesArrived = false;
            header = true;
            timer.set(timeouts.requestHeader().toNanos());
        }
    }

    private void expired() {
        if (owner.busy()) {
            return;
        }
        activity.disarm();
        if (header) {
            owner.headerTimedOut();
        } else {
            owner.idleTimedOut();
        }
    }
}
