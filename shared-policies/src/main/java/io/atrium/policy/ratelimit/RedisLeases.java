package io.atrium.policy.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Leases of the Redis store: per key and limit set, the units this instance took from Redis beyond the requests that
 * asked, handed out here without a round trip (a request of {@code units} takes that many).
 *
 * <ul>
 * <li>The script sizes a lease at {@code min(max_units, remaining / 16)} units, so near the limit there is none and
 * every request is decided by Redis, exactly. Redis counts a lease's units when it grants them and keeps every
 * limit's TAT ahead of now by the units of outstanding leases, so the instances together never admit more than the
 * limit (see gcra.lua).</li>
 * <li>While a lease call for a key is in flight, the key's other requests wait for it (asynchronously) instead of
 * each calling Redis; when the last call granted no lease (near the limit), they call Redis side by side.</li>
 * <li>A lease ends when a request does not fit in what is left (the next call gives the rest back), when its ttl
 * has passed (a sweep gives it back), when its key is dropped from this table, or at close.</li>
 * <li>A refusal is remembered until its retry-after: requests of as many units or more are refused here meanwhile
 * (other instances can only move that time later; a lease given back elsewhere may let one in sooner).</li>
 * </ul>
 *
 * <p>Per-key state is guarded by its own monitor, held only for a few field updates; Redis is called and futures are
 * completed outside it. The table is bounded and forgets idle keys.
 */
final class RedisLeases {

    static final int MAXIMUM_KEYS = 100_000;

    /** One script call: the request's units (0: only give a lease back), the lease to give back and what was unused. */
    record Call(String key, LimitSet limits, long units, long leaseMax, String leaseId, String returnedLease, long returnedUnused) {
    }

    private record Slot(String key, LimitSet limits) {
    }

    private record Waiter(long units, CompletableFuture<RateLimitResult> future) {
    }

    /** Units held from Redis. Guarded by the owner's monitor. */
    private static final class Lease {
        final KeyState owner;
        final String member;
        final long expiresAt;
        final long limit;
        final long resetSeconds;
        /** Redis' remaining count after granting the lease, in units. */
        final long redisRemaining;
        long unused;
        boolean ended;

        Lease(KeyState owner, String id, long units, long expiresAt, RateLimitResult granted) {
            this.owner = owner;
            this.member = id + ":" + units;
            this.expiresAt = expiresAt;
            this.limit = granted.limit();
            this.resetSeconds = granted.resetSeconds();
            this.redisRemaining = granted.remaining();
            this.unused = units;
        }
    }

    /** One key's leases and refusal. Guarded by its own monitor. */
    private static final class KeyState {
        final Slot slot;
        Lease lease;
        /** A lease call is in flight: other requests wait for it in {@link #waiters}. */
        boolean calling;
        /** Whether the last reply granted a lease: if not, requests do not wait for each other. */
        boolean leasing = true;
        final Queue<Waiter> waiters = new ArrayDeque<>();
        long refusedUntil;
        long refusedUnits = Long.MAX_VALUE;
        RateLimitResult refusal;

        KeyState(Slot slot) {
            this.slot = slot;
        }

        /** The decision this instance can make alone, or null. */
        RateLimitResult decideLocally(long units, long now) {
            if (refusal != null && units >= refusedUnits && refusedUntil - now > 0) {
                long retryAfter = Math.max(1, (refusedUntil - now + 999_999_999L) / 1_000_000_000L);
                return new RateLimitResult(false, refusal.limit(), 0, refusal.resetSeconds(), retryAfter);
            }
            Lease current = lease;
            if (current == null || current.expiresAt - now <= 0 || current.unused < units) {
                return null;
            }
            current.unused -= units;
            return new RateLimitResult(true, current.limit, current.redisRemaining + current.unused, current.resetSeconds, 0);
        }

        /** Ends the current lease, if any, for giving it back with the next call; returns it. */
        Lease takeLease() {
            Lease current = lease;
            lease = null;
            if (current == null || current.ended) {
                return null;
            }
            current.ended = true;
            return current;
        }
    }

    private final RedisRateLimitStore.Lease config;
    private final Function<Call, CompletionStage<RedisRateLimitStore.Reply>> script;
    private final long ttlNanos;
    private final String idPrefix = UUID.randomUUID().toString().substring(0, 8) + "-";
    private final AtomicLong ids = new AtomicLong();
    private final Cache<Slot, KeyState> states;
    /** Leases in the order they expire (one ttl for all), for the sweep. */
    private final Queue<Lease> expiring = new ConcurrentLinkedQueue<>();
    private final java.util.concurrent.ScheduledFuture<?> sweep;

    RedisLeases(RedisRateLimitStore.Lease config, Function<Call, CompletionStage<RedisRateLimitStore.Reply>> script,
                ScheduledExecutorService scheduler) {
        this.config = config;
        this.script = script;
        this.ttlNanos = config.ttl().toNanos();
        this.states = Caffeine.newBuilder()
                .maximumSize(MAXIMUM_KEYS)
                // idle keys go; a refusal remembered longer than this is simply asked again
                .expireAfterAccess(Duration.ofNanos(Math.max(4 * ttlNanos, Duration.ofSeconds(10).toNanos())))
                .removalListener((Slot slot, KeyState state, RemovalCause cause) -> {
                    if (state != null) {
                        giveBack(state);
                    }
                })
                .executor(Runnable::run)
                .build();
        long period = Math.max(1, Math.min(ttlNanos / 4, Duration.ofMillis(100).toNanos()));
        this.sweep = scheduler.scheduleAtFixedRate(this::sweep, period, period, TimeUnit.NANOSECONDS);
    }

    CompletionStage<RateLimitResult> acquire(String key, LimitSet limits, long units) {
        long now = System.nanoTime();
        Slot slot = new Slot(key, limits);
        KeyState state = states.get(slot, KeyState::new);
        Call call;
        CompletableFuture<RateLimitResult> result;
        synchronized (state) {
            RateLimitResult local = state.decideLocally(units, now);
            if (local != null) {
                return CompletableFuture.completedFuture(local);
            }
            result = new CompletableFuture<>();
            if (state.calling) {
                state.waiters.add(new Waiter(units, result));
                return result;
            }
            call = newCall(state, units);
        }
        send(state, call, now, result);
        return result;
    }

    /** A call for {@code units} that gives back the current lease; a lease call (others wait) unless near the limit. */
    private Call newCall(KeyState state, long units) {
        Lease returned = state.takeLease();
        state.calling |= state.leasing;
        Slot slot = state.slot;
        return new Call(slot.key(), slot.limits(), units, config.maxUnits(), idPrefix + ids.incrementAndGet(),
                returned == null ? "" : returned.member, returned == null ? 0 : returned.unused);
    }

    private void send(KeyState state, Call call, long sentAt, CompletableFuture<RateLimitResult> result) {
        script.apply(call).whenComplete((reply, failure) -> onReply(state, call, sentAt, result, reply, failure));
    }

    private void onReply(KeyState state, Call call, long sentAt, CompletableFuture<RateLimitResult> result,
                         RedisRateLimitStore.Reply reply, Throwable failure) {
        long now = System.nanoTime();
        List<Runnable> completions = new ArrayList<>();
        List<Pending> next = new ArrayList<>();
        Lease replaced = null;
        RateLimitResult decided = null;
        synchronized (state) {
            boolean coalesced = state.calling;
            state.calling = false;
            if (failure != null) {
                if (coalesced) {
                    drainAll(state, completions, failure);
                }
            } else {
                RateLimitResult redis = Gcra.result(call.limits(), reply.now(), reply.tats(), call.units() + reply.leased());
                state.leasing = reply.leased() > 0;
                if (!redis.allowed()) {
                    state.refusal = redis;
                    state.refusedUnits = call.units();
                    state.refusedUntil = now + Gcra.waitMicros(call.limits(), reply.now(), reply.tats(), call.units()) * 1000;
                    decided = redis;
                } else if (reply.leased() == 0) {
                    decided = redis;
                } else {
                    replaced = state.takeLease();
                    // the lease's clock starts when the call was sent, before Redis started its own
                    Lease granted = new Lease(state, call.leaseId(), reply.leased(), sentAt + ttlNanos, redis);
                    state.lease = granted;
                    expiring.add(granted);
                    decided = new RateLimitResult(true, redis.limit(), redis.remaining() + reply.leased(), redis.resetSeconds(), 0);
                }
                if (coalesced) {
                    serveWaiters(state, now, completions, next);
                }
            }
        }
        if (failure != null) {
            result.completeExceptionally(failure);
        } else {
            result.complete(decided);
        }
        completions.forEach(Runnable::run);
        if (replaced != null) {
            giveBack(replaced.member, replaced.unused, call);
        }
        for (Pending pending : next) {
            send(state, pending.call(), now, pending.waiter().future());
        }
    }

    private record Pending(Waiter waiter, Call call) {
    }

    /**
     * Serves waiting requests from the new lease (or the refusal) in order; the first that does not fit makes the
     * next call and the rest wait for it, or, without a lease, each makes its own.
     */
    private void serveWaiters(KeyState state, long now, List<Runnable> completions, List<Pending> next) {
        while (!state.waiters.isEmpty()) {
            Waiter waiter = state.waiters.peek();
            RateLimitResult local = state.decideLocally(waiter.units(), now);
            if (local == null) {
                break;
            }
            state.waiters.poll();
            completions.add(() -> waiter.future().complete(local));
        }
        boolean leasing = state.leasing;
        while (!state.waiters.isEmpty()) {
            Waiter waiter = state.waiters.poll();
            next.add(new Pending(waiter, newCall(state, waiter.units())));
            if (leasing) {
                return;
            }
        }
    }

    private static void drainAll(KeyState state, List<Runnable> completions, Throwable failure) {
        for (Waiter waiter : state.waiters) {
            completions.add(() -> waiter.future().completeExceptionally(failure));
        }
        state.waiters.clear();
    }

    /** Gives back leases whose ttl has passed (they are in expiry order). */
    private void sweep() {
        long now = System.nanoTime();
        for (Lease head = expiring.peek(); head != null && head.expiresAt - now <= 0; head = expiring.peek()) {
            expiring.poll();
            giveBack(head.owner, head);
        }
    }

    private void giveBack(KeyState state) {
        Lease lease;
        synchronized (state) {
            lease = state.lease;
        }
        if (lease != null) {
            giveBack(state, lease);
        }
    }

    private void giveBack(KeyState state, Lease lease) {
        long unused;
        synchronized (state) {
            if (lease.ended) {
                return;
            }
            lease.ended = true;
            if (state.lease == lease) {
                state.lease = null;
            }
            unused = lease.unused;
        }
        Slot slot = state.slot;
        giveBack(lease.member, unused, new Call(slot.key(), slot.limits(), 0, 1, "", "", 0));
    }

    /** Fire and forget: a lease not given back ends in Redis at its expiry, its units counted as spent. */
    private CompletionStage<?> giveBack(String member, long unused, Call of) {
        return script.apply(new Call(of.key(), of.limits(), 0, 1, "", member, unused))
                .exceptionally(failure -> null);
    }

    /** Gives back every lease, waiting at most {@code timeout} for Redis to take them. */
    void close(Duration timeout) {
        sweep.cancel(false);
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (KeyState state : states.asMap().values()) {
            Lease lease;
            synchronized (state) {
                lease = state.takeLease();
            }
            if (lease != null) {
                Slot slot = state.slot;
                pending.add(giveBack(lease.member, lease.unused, new Call(slot.key(), slot.limits(), 0, 1, "", "", 0))
                        .toCompletableFuture());
            }
        }
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            // units not given back are counted as spent until their lease expires in Redis
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
