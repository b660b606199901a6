package io.atrium.edge.proxy.internal;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * A deadline on one event loop that is cheap to move. Exchanges set and clear their timeouts several times per request,
 * and scheduling plus cancelling a task each time (a queue insert and removal, a task object) was a measurable part of
 * a request's CPU. Here a later deadline only updates a field: the pending task fires at the earlier time, sees the
 * deadline moved, and schedules itself again; a cleared deadline lets the pending task fire and do nothing. Only a
 * deadline earlier than the pending task (or {@link #cancel()} when the owner goes away) touches the queue.
 *
 * <p>Confined to its event loop; {@code onExpiry} runs there once per deadline that passes while set.
 */
final class LoopTimer implements Runnable {

    private final EventLoop loop;
    private final Runnable onExpiry;
    /** The deadline ({@link System#nanoTime()}), or 0 when none is set. */
    private long deadline;
    /** When the pending task fires, valid while {@link #task} is not null. */
    private long firesAt;
    private ScheduledFuture<?> task;

    LoopTimer(EventLoop loop, Runnable onExpiry) {
        this.loop = loop;
        this.onExpiry = onExpiry;
    }

    /** Sets the deadline {@code delayNanos} from now, replacing the current one. */
    void set(long delayNanos) {
        setAt(System.nanoTime() + Math.max(0, delayNanos));
    }

    /** Sets the deadline to {@code at} ({@link System#nanoTime()} scale), replacing the current one. */
    void setAt(long at) {
        deadline = at == 0 ? 1 : at;
        if (task != null) {
            if (firesAt - deadline <= 0) {
                return;
            }
            task.cancel(false);
        }
        schedule(deadline);
    }

    /** Clears the deadline; a pending task is left to fire harmlessly (cheaper than removing it from the queue). */
    void clear() {
        deadline = 0;
    }

    boolean isSet() {
        return deadline != 0;
    }

    /** Clears the deadline and removes the pending task: the owner goes away and should not be kept reachable. */
    void cancel() {
        deadline = 0;
        if (task != null) {
            task.cancel(false);
            task = null;
        }
    }

    @Override
    public void run() {
        task = null;
        if (deadline == 0) {
            return;
        }
        if (System.nanoTime() - deadline < 0) {
            schedule(deadline);
            return;
        }
        deadline = 0;
        onExpiry.run();
    }

    private void schedule(long at) {
        firesAt = at;
        task = loop.schedule(this, Math.max(0, at - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
}
