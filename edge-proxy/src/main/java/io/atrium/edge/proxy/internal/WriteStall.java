package io.atrium.edge.proxy.internal;

import io.netty.channel.Channel;
import java.time.Duration;

/**
 * {@code limits.response_write_timeout} on one client connection (HTTP/2: one stream): a client that takes none of the
 * response bytes waiting for it for this long is disconnected. Backpressure already bounds what the edge holds for a
 * slow reader (the upstream is not read while the client's channel is unwritable), but without a limit such a client
 * would hold its exchange and an upstream connection for ever. Closing the channel ends the exchange as a client that
 * went away does: the upstream connection is closed, not returned to the pool.
 *
 * <p>Progress, not total time, counts (as NGINX's {@code send_timeout}): the timer starts when the channel becomes
 * unwritable and stops when it is writable again; when it fires with fewer bytes pending than when it was set, the
 * client took some and it starts over. Progress is what the socket takes: the kernel's send buffer drains into the
 * client unseen until about a third of it is free, so a timeout must exceed that at the slowest pace worth serving.
 * Confined to the channel's event loop.
 */
final class WriteStall implements Runnable {
    private final Channel ch;
    private final long timeoutNanos;
    private final LoopTimer timer;
    /** {@link Channel#bytesBeforeWritable()} when the timer was (re)set. */
    private long pendingWhenSet;

    WriteStall(Channel ch, Duration timeout) {
        this.ch = ch;
        this.timeoutNanos = timeout.toNanos();
        this.timer = new LoopTimer(ch.eventLoop(), this);
    }

    /** The client's channel changed writability. */
    void writabilityChanged() {
        if (ch.isWritable()) {
            timer.clear();
            return;
        }
        pendingWhenSet = ch.bytesBeforeWritable();
        timer.set(timeoutNanos);
    }

    @Override
    public void run() {
        if (ch.isWritable() || !ch.isActive()) {
            return;
        }
        long pending = ch.bytesBeforeWritable();
        if (pending < pendingWhenSet) {
            pendingWhenSet = pending; // the client took bytes since: a slow reader, not a stalled one
            timer.set(timeoutNanos);
            return;
        }
        ch.close();
    }

    /** The connection goes away: the pending timer task must not keep it reachable. */
    void cancel() {
        timer.cancel();
    }
}
