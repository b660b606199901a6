package io.atrium.policy.resilience.internal;

import io.atrium.policy.resilience.Candidates;
import io.atrium.policy.resilience.ClusterEndpoint;
import io.atrium.policy.resilience.LoadBalancer;
import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/** The built-in load balancers. Each keeps its position in one atomic; none locks or allocates per pick. */
public final class Balancers {

    private Balancers() {
    }

    public static LoadBalancer roundRobin() {
        return new RoundRobin();
    }

    public static LoadBalancer leastRequest(RandomGenerator random) {
        return new LeastRequest(random);
    }

    public static LoadBalancer weighted() {
        return new Weighted();
    }

    private static final class RoundRobin implements LoadBalancer {
        private final AtomicLong position = new AtomicLong();

        @Override
        public ClusterEndpoint choose(Candidates candidates) {
            long next = position.getAndIncrement() & Long.MAX_VALUE;
            return candidates.get((int) (next % candidates.size()));
        }
    }

    /** Power of two choices: cheap, no global state, and avoids the herd that "pick the least loaded" causes. */
    private static final class LeastRequest implements LoadBalancer {
        private final RandomGenerator random;

        LeastRequest(RandomGenerator random) {
            this.random = random;
        }

        @Override
        public ClusterEndpoint choose(Candidates candidates) {
            int size = candidates.size();
            if (size == 1) {
                return candidates.get(0);
            }
            int first = random.nextInt(size);
            int second = random.nextInt(size - 1);
            if (second >= first) {
                second++;
            }
            ClusterEndpoint a = candidates.get(first);
            ClusterEndpoint b = candidates.get(second);
            return b.inFlight() < a.inFlight() ? b : a;
        }
    }

    /**
     * Smooth weighted round-robin. The interleaved order of one full round is computed once per candidate snapshot
     * (snapshots change only when availability does); a pick is then one atomic increment.
     */
    private static final class Weighted implements LoadBalancer {
        private final AtomicLong position = new AtomicLong();
        private volatile Schedule schedule;

        private record Schedule(Candidates candidates, int[] order) {
        }

        @Override
        public ClusterEndpoint choose(Candidates candidates) {
            Schedule current = schedule;
            if (current == null || current.candidates() != candidates) {
                current = new Schedule(candidates, SmoothWeights.order(candidates));
                schedule = current;
            }
            int[] order = current.order();
            long next = position.getAndIncrement() & Long.MAX_VALUE;
            return candidates.get(order[(int) (next % order.length)]);
        }
    }
}
