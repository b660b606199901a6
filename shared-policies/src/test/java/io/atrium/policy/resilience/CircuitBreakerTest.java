package io.atrium.policy.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.atrium.policy.Decision;
import io.atrium.policy.HttpHeader;
import io.atrium.policy.TestRequest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

    private final FakeClock clock = new FakeClock();
    private final RecordingListener listener = new RecordingListener();

    private CircuitBreaker breaker(CircuitBreakerConfig config) {
        return UpstreamCluster.builder("orders", new ClusterResilienceConfig(null, null, null, config, RetryConfig.NONE))
                .endpoint("a").nanoClock(clock).listener(listener).build().circuitBreaker().orElseThrow();
    }

    private static CircuitBreakerConfig countWindow() {
        // window of 10 calls, judged from 4 calls, opens at 50% failures, open 30 s, 3 probe calls.
        return new CircuitBreakerConfig(CircuitBreakerConfig.WindowType.COUNT, 10, 4, 50, Duration.ofSeconds(30), 3, null);
    }

    private static void call(CircuitBreaker breaker, boolean failed) {
        CircuitPermit permit = breaker.acquire();
        assertThat(permit).isInstanceOf(CircuitPermit.Admitted.class);
        breaker.record((CircuitPermit.Admitted) permit, failed, 1_000_000);
    }

    @Test
    void fullCycleClosedOpenHalfOpenClosed() {
        CircuitBreaker breaker = breaker(countWindow());
        call(breaker, true);
        call(breaker, true);
        call(breaker, false);
        assertThat(breaker.state()).as("below the minimum number of calls").isEqualTo(CircuitState.CLOSED);
        call(breaker, false);
        assertThat(breaker.state()).as("2 of 4 is 50%, but only a failure is judged").isEqualTo(CircuitState.CLOSED);
        call(breaker, true);
        assertThat(breaker.state()).as("3 of 5 failed").isEqualTo(CircuitState.OPEN);

        CircuitPermit refused = breaker.acquire();
        assertThat(refused).isEqualTo(new CircuitPermit.Rejected(CircuitState.OPEN, 30));
        clock.advance(Duration.ofSeconds(20).plusMillis(1));
        assertThat(breaker.acquire()).isEqualTo(new CircuitPermit.Rejected(CircuitState.OPEN, 10));

        clock.advance(Duration.ofSeconds(10));
        CircuitPermit.Admitted p1 = (CircuitPermit.Admitted) breaker.acquire();
        assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
        CircuitPermit.Admitted p2 = (CircuitPermit.Admitted) breaker.acquire();
        CircuitPermit.Admitted p3 = (CircuitPermit.Admitted) breaker.acquire();
        assertThat(breaker.acquire()).as("only 3 probe calls").isEqualTo(new CircuitPermit.Rejected(CircuitState.HALF_OPEN, 1));
        breaker.record(p1, false, 1);
        breaker.record(p2, true, 1);
        assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
        breaker.record(p3, false, 1);
        assertThat(breaker.state()).as("1 of 3 probes failed: 33% < 50%").isEqualTo(CircuitState.CLOSED);

        call(breaker, true);
        call(breaker, true);
        call(breaker, true);
        assertThat(breaker.state()).as("a fresh window after closing").isEqualTo(CircuitState.CLOSED);

        assertThat(listener.of(ResilienceEvent.CircuitTransition.class)).extracting(ResilienceEvent.CircuitTransition::to)
                .containsExactly(CircuitState.OPEN, CircuitState.HALF_OPEN, CircuitState.CLOSED);
        assertThat(listener.of(ResilienceEvent.CircuitRejected.class)).hasSize(3);
    }

    @Test
    void failedProbesOpenTheCircuitAgain() {
        CircuitBreaker breaker = breaker(countWindow());
        for (int i = 0; i < 4; i++) {
            call(breaker, true);
        }
        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
        clock.advance(Duration.ofSeconds(30));
        call(breaker, true);
        call(breaker, false);
        call(breaker, true);
        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
        assertThat(breaker.acquire()).isEqualTo(new CircuitPermit.Rejected(CircuitState.OPEN, 30));
        assertThat(listener.of(ResilienceEvent.CircuitTransition.class)).extracting(ResilienceEvent.CircuitTransition::to)
                .containsExactly(CircuitState.OPEN, CircuitState.HALF_OPEN, CircuitState.OPEN);
    }

    @Test
    void outcomesOfCallsAdmittedInAnEarlierStateAreIgnored() {
        CircuitBreaker breaker = breaker(countWindow());
        CircuitPermit.Admitted early = (CircuitPermit.Admitted) breaker.acquire();
        for (int i = 0; i < 4; i++) {
            call(breaker, true);
        }
        clock.advance(Duration.ofSeconds(30));
        CircuitPermit.Admitted probe = (CircuitPermit.Admitted) breaker.acquire();
        breaker.record(early, true, 1);
        breaker.record(early, true, 1);
        breaker.record(early, true, 1);
        assertThat(breaker.state()).isEqualTo(CircuitState.HALF_OPEN);
        breaker.record(probe, false, 1);
        breaker.release((CircuitPermit.Admitted) breaker.acquire());
        breaker.record((CircuitPermit.Admitted) breaker.acquire(), false, 1);
        assertThat(breaker.state()).as("an abandoned probe counts as completed, not failed").isEqualTo(CircuitState.CLOSED);
    }

    @Test
    void slowCallsCountAsFailuresWhenConfigured() {
        CircuitBreaker breaker = breaker(new CircuitBreakerConfig(null, 10, 4, 50, null, 0, Duration.ofMillis(500)));
        for (int i = 0; i < 4; i++) {
            breaker.record((CircuitPermit.Admitted) breaker.acquire(), false, Duration.ofMillis(500).toNanos());
        }
        assertThat(breaker.state()).isEqualTo(CircuitState.OPEN);
    }

    @Test
    void timeWindowForgetsOldCalls() {
        CircuitBreaker breaker = breaker(new CircuitBreakerConfig(CircuitBreakerConfig.WindowType.TIME, 10, 4, 50, null, 0, null));
        call(breaker, true);
        call(breaker, true);
        call(breaker, true);
        clock.advance(Duration.ofSeconds(10));
        call(breaker, false);
        call(breaker, false);
        call(breaker, false);
        call(breaker, true);
        assertThat(breaker.state()).as("the three old failures left the window: 1 of 4").isEqualTo(CircuitState.CLOSED);
        clock.advance(Duration.ofSeconds(5));
        call(breaker, true);
        assertThat(breaker.state()).as("2 of 5 within 10 s").isEqualTo(CircuitState.CLOSED);
        call(breaker, true);
        assertThat(breaker.state()).as("3 of 6").isEqualTo(CircuitState.OPEN);
    }

    @Test
    void countWindowKeepsOnlyTheLastCalls() {
        CircuitBreaker breaker = breaker(new CircuitBreakerConfig(CircuitBreakerConfig.WindowType.COUNT, 4, 4, 75, null, 0, null));
        for (boolean failed : new boolean[] {true, true, false, false, false, true, true}) {
            call(breaker, failed);
        }
        assertThat(breaker.state()).as("the window holds S F F S: the first failures were overwritten").isEqualTo(CircuitState.CLOSED);
        call(breaker, true);
        assertThat(breaker.state()).as("S F F F: 3 of 4").isEqualTo(CircuitState.OPEN);
    }

    @Test
    void rejectionIsA503ProblemWithRetryAfter() {
        CircuitBreaker breaker = breaker(countWindow());
        Decision.Reply reply = breaker.reply(new CircuitPermit.Rejected(CircuitState.OPEN, 12), TestRequest.get("/orders/7").context());
        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.problem().code()).isEqualTo("UPSTREAM_CIRCUIT_OPEN");
        assertThat(reply.problem().instance()).isEqualTo("/orders/7");
        assertThat(reply.problem().requestId()).isEqualTo("req-1");
        assertThat(reply.problem().detail()).doesNotContain("orders").contains("12 s");
        assertThat(reply.headers()).containsExactly(new HttpHeader("Retry-After", "12"));
    }
}
