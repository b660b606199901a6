package io.atrium.policy.resilience.internal;

import io.atrium.policy.resilience.Candidates;

/** One round of NGINX's smooth weighted round-robin, as the sequence of candidate indexes it produces. */
final class SmoothWeights {

    /** Rounds longer than this are scaled down proportionally (weights keep their ratio within rounding). */
    static final int MAX_ROUND = 10_000;

    private SmoothWeights() {
    }

    static int[] order(Candidates candidates) {
        int size = candidates.size();
        long[] weights = new long[size];
        long gcd = 0;
        long total = 0;
        for (int i = 0; i < size; i++) {
            weights[i] = candidates.get(i).weight();
            gcd = gcd(gcd, weights[i]);
            total += weights[i];
        }
        total = 0;
        for (int i = 0; i < size; i++) {
            weights[i] /= gcd;
            total += weights[i];
        }
        if (total > MAX_ROUND) {
            long scaled = 0;
            for (int i = 0; i < size; i++) {
                weights[i] = Math.max(1, Math.round((double) weights[i] * MAX_ROUND / total));
                scaled += weights[i];
            }
            total = scaled;
        }
        int[] order = new int[(int) total];
        long[] current = new long[size];
        for (int step = 0; step < order.length; step++) {
            int best = 0;
            for (int i = 0; i < size; i++) {
                current[i] += weights[i];
                if (current[i] > current[best]) {
                    best = i;
                }
            }
            current[best] -= total;
            order[step] = best;
        }
        return order;
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
