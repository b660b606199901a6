package io.atrium.policy;

import io.atrium.policy.error.ProblemTypes;

import io.atrium.policy.error.Problem;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ordered policies of one route, built once at config load. {@link #evaluate(PolicyContext)} runs them in order,
 * stops at the first enforced reply, applies each policy's {@link PolicySettings} and counts every outcome as
 * {@code atrium.policy.<policy>.<outcome>} tagged {@code route} and {@code enforced}.
 *
 * <p>The result is one merged decision: a {@link Decision.Continue} carrying the last established identity and every
 * policy's headers, or the first enforced {@link Decision.Reply} with the response headers collected before it.
 * Policies that completed synchronously are chained without any future composition.
 */
public final class PolicyChain {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyChain.class);
    private static final String CHAIN_OUTCOME = "chain";
    private static final Decision.Continue EMPTY = Decision.proceed(CHAIN_OUTCOME);
    private static final CompletionStage<Decision> EMPTY_STAGE = CompletableFuture.completedFuture(EMPTY);

    private final Step[] steps;

    private PolicyChain(Step[] steps) {
        this.steps = steps;
    }

    /** One policy of the chain with its switches. */
    public record Entry(Policy policy, PolicySettings settings) {
        public Entry {
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(settings, "settings");
        }
    }

    /** A chain for {@code routeId}; disabled entries are dropped here, once. */
    public static PolicyChain of(String routeId, List<Entry> entries, MeterRegistry registry) {
        List<Step> steps = new ArrayList<>();
        for (Entry entry : entries) {
            if (entry.settings().enabled()) {
                steps.add(new Step(entry.policy(), entry.settings().enforce(), routeId, registry));
            }
        }
        return new PolicyChain(steps.toArray(Step[]::new));
    }

    public CompletionStage<Decision> evaluate(PolicyContext context) {
        return run(0, context, EMPTY);
    }

    private CompletionStage<Decision> run(int from, PolicyContext context, Decision.Continue merged) {
        PolicyContext current = context;
        Decision.Continue acc = merged;
        for (int i = from; i < steps.length; i++) {
            Step step = steps[i];
            CompletionStage<Decision> stage = step.evaluate(current);
            Decision now = Decision.now(stage);
            if (now == null) {
                int next = i + 1;
                PolicyContext ctx = current;
                Decision.Continue soFar = acc;
                return stage.handle((decision, failure) -> step.apply(decision, failure, ctx))
                        .thenCompose(decision -> afterStep(decision, next, ctx, soFar));
            }
            Decision applied = step.apply(now, null, current);
            if (applied instanceof Decision.Reply reply) {
                return Decision.completed(withResponseHeaders(reply, acc));
            }
            Decision.Continue cont = (Decision.Continue) applied;
            acc = merge(acc, cont);
            current = current.withIdentity(acc.identity());
        }
        return acc == EMPTY ? EMPTY_STAGE : Decision.completed(acc);
    }

    private CompletionStage<Decision> afterStep(Decision decision, int next, PolicyContext context, Decision.Continue acc) {
        if (decision instanceof Decision.Reply reply) {
            return Decision.completed(withResponseHeaders(reply, acc));
        }
        Decision.Continue merged = merge(acc, (Decision.Continue) decision);
        return run(next, context.withIdentity(merged.identity()), merged);
    }

    private static Decision.Continue merge(Decision.Continue acc, Decision.Continue next) {
        if (next.upstreamHeaders().isEmpty() && next.responseHeaders().isEmpty()
                && (next.identity() == null || next.identity() == acc.identity())) {
            return acc;
        }
        if (acc == EMPTY) {
            return next;
        }
        return new Decision.Continue(CHAIN_OUTCOME,
                next.identity() != null ? next.identity() : acc.identity(),
                concat(acc.upstreamHeaders(), next.upstreamHeaders()),
                concat(acc.responseHeaders(), next.responseHeaders()));
    }

    private static Decision.Reply withResponseHeaders(Decision.Reply reply, Decision.Continue acc) {
        if (acc.responseHeaders().isEmpty()) {
            return reply;
        }
        return new Decision.Reply(reply.outcome(), reply.problem(), concat(acc.responseHeaders(), reply.headers()));
    }

    private static List<HttpHeader> concat(List<HttpHeader> a, List<HttpHeader> b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        List<HttpHeader> all = new ArrayList<>(a.size() + b.size());
        all.addAll(a);
        all.addAll(b);
        return all;
    }

    /** One enabled policy with its counters. */
    private static final class Step {
        private final Policy policy;
        private final boolean enforce;
        private final String routeId;
        private final MeterRegistry registry;
        private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();

        Step(Policy policy, boolean enforce, String routeId, MeterRegistry registry) {
            this.policy = policy;
            this.enforce = enforce;
            this.routeId = routeId;
            this.registry = registry;
        }

        CompletionStage<Decision> evaluate(PolicyContext context) {
            try {
                return policy.evaluate(context);
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }

        /** Counts the outcome and applies report-only mode; a failed policy becomes a 500 reply. */
        Decision apply(Decision decision, Throwable failure, PolicyContext context) {
            if (failure != null || decision == null) {
                // possibly on the thread of an asynchronous store: the line names the client's trace itself
                try (var logs = io.atrium.policy.observability.LogTrace.openTraceparent(
                        context.request().header(io.atrium.policy.observability.TraceParent.HEADER))) {
                    LOG.error("policy {} failed on route {}", policy.name(), routeId, failure);
                }
                decision = new Decision.Reply("failed", Problem.of(ProblemTypes.POLICY_FAILED,
                        "The " + policy.name() + " policy failed; the request was not forwarded.",
                        context.request().path(), context.requestId()), List.of());
            }
            counter(decision.outcome()).increment();
            if (!enforce && decision instanceof Decision.Reply) {
                return EMPTY;
            }
            return decision;
        }

        private Counter counter(String outcome) {
            Counter counter = counters.get(outcome);
            if (counter != null) {
                return counter;
            }
            return counters.computeIfAbsent(outcome, o -> Counter.builder("atrium.policy." + policy.name() + "." + o)
                    .tag("route", routeId)
                    .tag("enforced", Boolean.toString(enforce))
                    .register(registry));
        }
    }
}
