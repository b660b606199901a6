package io.atrium.edge.proxy.internal;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Only lower bounds on time are asserted (a deadline never fires early); waits end on the timer's own signal. */
class LoopTimerTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final EventLoop loop = new DefaultEventLoop();
    private final AtomicInteger fired = new AtomicInteger();
    private final CompletableFuture<Long> firedAt = new CompletableFuture<>();
    private final LoopTimer timer = new LoopTimer(loop, () -> {
        fired.incrementAndGet();
        firedAt.complete(System.nanoTime());
    });

    @AfterEach
    void stop() {
        loop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
    }

    private long onLoop(Runnable action) throws Exception {
        return loop.submit(() -> {
            action.run();
            return System.nanoTime();
        }).get(5, TimeUnit.SECONDS);
    }

    @Test
    void aLaterDeadlineIsKeptByThePendingTaskAndFiresOnlyThen() throws Exception {
        onLoop(() -> timer.set(20 * MS));
        long moved = onLoop(() -> timer.set(120 * MS));
        long at = firedAt.get(5, TimeUnit.SECONDS);
        assertThat(at - moved).as("fired after the moved deadline, not the first one").isGreaterThanOrEqualTo(120 * MS);
        assertThat(fired).hasValue(1);
    }

    @Test
    void anEarlierDeadlineReplacesThePendingTask() throws Exception {
        onLoop(() -> timer.set(TimeUnit.MINUTES.toNanos(10)));
        long moved = onLoop(() -> timer.set(30 * MS));
        long at = firedAt.get(5, TimeUnit.SECONDS);
        assertThat(at - moved).isGreaterThanOrEqualTo(30 * MS);
    }

    @Test
    void aClearedDeadlineDoesNotFireWhenItsTaskComesDue() throws Exception {
        onLoop(() -> {
            timer.set(10 * MS);
            timer.clear();
            assertThat(timer.isSet()).isFalse();
        });
        // The task due at 10 ms finds no deadline; the one set next is the only one that fires.
        long set = onLoop(() -> timer.set(80 * MS));
        long at = firedAt.get(5, TimeUnit.SECONDS);
        assertThat(at - set).isGreaterThanOrEqualTo(80 * MS);
        assertThat(fired).hasValue(1);
        assertThat(loop.submit(timer::isSet).get(5, TimeUnit.SECONDS)).as("a deadline fires once").isFalse();
    }
}
