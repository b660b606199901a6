package io.atrium.policy.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.atrium.policy.resilience.internal.CountWindow;
import io.atrium.policy.resilience.internal.FailureWindow;
import io.atrium.policy.resilience.internal.TimeWindow;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The lock-free windows keep exact totals when several event loops record at once. */
class WindowConcurrencyTest {

    private static void hammer(FailureWindow window, int threads, int perThread) throws InterruptedException {
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    window.record(i % 4 == 0, 5_000_000_000L);
                }
            });
            workers.add(worker);
        }
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
    }

    @Test
    void countWindowTotalsMatchItsSlots() throws InterruptedException {
        CountWindow window = new CountWindow(1000);
        hammer(window, 4, 25_000);
        assertThat(window.calls(0)).isEqualTo(1000);
        assertThat(window.failures(0)).isBetween(0, 1000);
        // Every slot replaced exactly what it held: overwrite the window with successes and the failures must reach 0.
        for (int i = 0; i < 1000; i++) {
            window.record(false, 0);
        }
        assertThat(window.failures(0)).isZero();
    }

    @Test
    void timeWindowCountsEveryCall() throws InterruptedException {
        TimeWindow window = new TimeWindow(10);
        hammer(window, 4, 25_000);
        assertThat(window.calls(5_000_000_000L)).isEqualTo(100_000);
        assertThat(window.failures(5_000_000_000L)).isEqualTo(25_000);
    }
}
