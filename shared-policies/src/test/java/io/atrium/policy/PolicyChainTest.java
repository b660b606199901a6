package io.atrium.policy;

import io.atrium.policy.error.ProblemTypes;

import static org.assertj.core.api.Assertions.assertThat;

import io.atrium.policy.error.Problem;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class PolicyChainTest {

    private static final Identity ALICE = new Identity("alice", null, Set.of(), Set.of(), Map.of(), null, Identity.Method.JWT);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private record Fixed(String name, Decision decision, boolean async) implements Policy {
        @Override
        public CompletionStage<Decision> evaluate(PolicyContext context) {
            return async ? CompletableFuture.supplyAsync(() -> decision) : Decision.completed(decision);
        }
    }

    /** Continues with the identity it saw, so the test can check what earlier policies established. */
    private record Echo(String name) implements Policy {
        @Override
        public CompletionStage<Decision> evaluate(PolicyContext context) {
            String seen = context.identity() == null ? "none" : context.identity().subject();
            return Decision.completed(new Decision.Continue("ok", null, List.of(new HttpHeader("X-Seen", seen)), List.of()));
        }
    }

    private static Decision.Reply deny(String outcome) {
        return new Decision.Reply(outcome, Problem.of(ProblemTypes.FORBIDDEN, "no", "/x", null), List.of(new HttpHeader("X-Deny", "1")));
    }

    private static Decision run(PolicyChain chain) {
        return chain.evaluate(TestRequest.get("/x").context()).toCompletableFuture().join();
    }

    private double count(String name, String enforced) {
        var counter = registry.find(name).tag("route", "r").tag("enforced", enforced).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void mergesIdentityAndHeadersAcrossSyncAndAsyncPolicies() {
        PolicyChain chain = PolicyChain.of("r", List.of(
                new PolicyChain.Entry(new Fixed("auth", new Decision.Continue("authenticated", ALICE, List.of(), List.of()), true), PolicySettings.DEFAULT),
                new PolicyChain.Entry(new Fixed("rate_limit", new Decision.Continue("allowed", null, List.of(),
                        List.of(new HttpHeader("RateLimit-Remaining", "3"))), false), PolicySettings.DEFAULT),
                new PolicyChain.Entry(new Echo("echo"), PolicySettings.DEFAULT)), registry);

        Decision decision = run(chain);

        assertThat(decision).isInstanceOfSatisfying(Decision.Continue.class, c -> {
            assertThat(c.identity()).isSameAs(ALICE);
            assertThat(c.upstreamHeaders()).containsExactly(new HttpHeader("X-Seen", "alice"));
            assertThat(c.responseHeaders()).containsExactly(new HttpHeader("RateLimit-Remaining", "3"));
        });
        assertThat(count("atrium.policy.auth.authenticated", "true")).isEqualTo(1);
        assertThat(count("atrium.policy.rate_limit.allowed", "true")).isEqualTo(1);
    }

    @Test
    void firstEnforcedReplyStopsTheChainAndKeepsEarlierResponseHeaders() {
        PolicyChain chain = PolicyChain.of("r", List.of(
                new PolicyChain.Entry(new Fixed("rate_limit", new Decision.Continue("allowed", null, List.of(),
                        List.of(new HttpHeader("RateLimit-Remaining", "3"))), false), PolicySettings.DEFAULT),
                new PolicyChain.Entry(new Fixed("auth", deny("insufficient_scope"), true), PolicySettings.DEFAULT),
                new PolicyChain.Entry(new Echo("echo"), PolicySettings.DEFAULT)), registry);

        Decision decision = run(chain);

        assertThat(decision).isInstanceOfSatisfying(Decision.Reply.class, r -> {
            assertThat(r.status()).isEqualTo(403);
            assertThat(r.headers()).containsExactly(new HttpHeader("RateLimit-Remaining", "3"), new HttpHeader("X-Deny", "1"));
        });
        assertThat(count("atrium.policy.echo.ok", "true")).isZero();
    }

    @Test
    void reportOnlyCountsTheReplyButLetsTheRequestThrough() {
        PolicyChain chain = PolicyChain.of("r", List.of(
                new PolicyChain.Entry(new Fixed("auth", deny("missing_credentials"), false), PolicySettings.REPORT_ONLY),
                new PolicyChain.Entry(new Echo("echo"), PolicySettings.DEFAULT)), registry);

        Decision decision = run(chain);

        assertThat(decision).isInstanceOf(Decision.Continue.class);
        assertThat(((Decision.Continue) decision).upstreamHeaders()).containsExactly(new HttpHeader("X-Seen", "none"));
        assertThat(count("atrium.policy.auth.missing_credentials", "false")).isEqualTo(1);
    }

    @Test
    void disabledPoliciesDoNotRun() {
        PolicyChain chain = PolicyChain.of("r", List.of(
                new PolicyChain.Entry(new Fixed("auth", deny("missing_credentials"), false), PolicySettings.DISABLED)), registry);
        assertThat(run(chain)).isInstanceOf(Decision.Continue.class);
        assertThat(registry.getMeters()).isEmpty();
    }

    @Test
    void aFailingPolicyBecomesA500() {
        Policy throwing = new Policy() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public CompletionStage<Decision> evaluate(PolicyContext context) {
                throw new IllegalStateException("boom");
            }
        };
        Decision decision = run(PolicyChain.of("r", List.of(new PolicyChain.Entry(throwing, PolicySettings.DEFAULT)), registry));
        assertThat(decision).isInstanceOfSatisfying(Decision.Reply.class, r -> assertThat(r.problem().code()).isEqualTo("POLICY_FAILED"));
        assertThat(count("atrium.policy.broken.failed", "true")).isEqualTo(1);
    }

    @Test
    void aPolicyFailingOnAnotherThreadIsLoggedWithTheClientsTrace() throws Exception {
        String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        Policy failingLater = new Policy() {
            @Override
            public String name() {
                return "remote";
            }

            @Override
            public CompletionStage<Decision> evaluate(PolicyContext context) {
                return CompletableFuture.supplyAsync(() -> {
                    throw new IllegalStateException("store down"); // completes on a pool thread, as a store's would
                });
            }
        };
        List<Map<String, String>> mdcs = new java.util.concurrent.CopyOnWriteArrayList<>();
        var appender = new ch.qos.logback.core.AppenderBase<ch.qos.logback.classic.spi.ILoggingEvent>() {
            @Override
            protected void append(ch.qos.logback.classic.spi.ILoggingEvent event) {
                mdcs.add(Map.copyOf(event.getMDCPropertyMap())); // read when logged: the event reads the MDC lazily
            }
        };
        var logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(PolicyChain.class);
        appender.start();
        logger.addAppender(appender);
        try {
            Decision decision = PolicyChain.of("r", List.of(new PolicyChain.Entry(failingLater, PolicySettings.DEFAULT)), registry)
                    .evaluate(TestRequest.get("/x").header("traceparent", "00-" + trace + "-00f067aa0ba902b7-01").context())
                    .toCompletableFuture().get(5, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(decision).isInstanceOf(Decision.Reply.class);
        } finally {
            logger.detachAppender(appender);
        }
        assertThat(mdcs).singleElement().satisfies(mdc -> assertThat(mdc).containsEntry("trace_id", trace));
    }

    @Test
    void allSyncContinueWithoutHeadersAllocatesNoNewStage() {
        PolicyChain chain = PolicyChain.of("r", List.of(
                new PolicyChain.Entry(new Fixed("a", Decision.proceed("ok"), false), PolicySettings.DEFAULT)), registry);
        CompletionStage<Decision> first = chain.evaluate(TestRequest.get("/x").context());
        CompletionStage<Decision> second = chain.evaluate(TestRequest.get("/x").context());
        assertThat(first).isSameAs(second);
    }

    @Test
    void queryParametersAreDecoded() {
        assertThat(QueryStrings.parameter("a=1&key=x%2By&b", "key")).isEqualTo("x+y");
        assertThat(QueryStrings.parameter("a=1&b", "b")).isEmpty();
        assertThat(QueryStrings.parameter("ab=1", "a")).isNull();
        assertThat(QueryStrings.parameter(null, "a")).isNull();
    }
}
