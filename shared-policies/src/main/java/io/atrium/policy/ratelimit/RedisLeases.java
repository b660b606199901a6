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
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
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
 * <li>When a quarter of a lease is spent, the next one is taken ahead of need, so that requests rarely wait for a
 * round trip (with half, one in ten still did under load on two busy cores); a key holds at most two leases. Requests that
 * find no units while a lease call is in flight wait for it (asynchronously) instead of each calling Redis; when the
 * last call granted no lease (near the limit), they call Redis side by side.</li>
 * <li>A lease ends when spent, when its ttl has passed, when its key is dropped from this table, or at close; its
 * unused units are given back with the key's next call, or by a sweep once the ttl has passed.</li>
 * <li>A refusal is remembered until its retry-after: requests of as many units or more are refused here meanwhile
 * (other instances can only move that time later; a lease given back elsewhere may let one in sooner). Not while
 * Redis is unreachable: the route's {@code on_store_failure} answers then, as without leases; and all remembered
 * refusals are forgotten when Redis is back (it may have lost its data).</li>
 * </ul>
 *
 * <p>Per-key state is guarded by its own monitor, held only for a few field updates; Redis is called and futures are
 * completed outside it. The table is bounded and forgets idle keys.
 */
final class RedisLeases {

    static final int MAXIMUM_KEYS = 100_000;

    /**
     * One script call: the request's units (0: a lease taken ahead of need), the largest lease (0 with units 0: only
     * give leases back), and the leases given back ({@code member=unused,...}).
     */
    record Call(String key, LimitSet limits, long units, long leaseMax, String leaseId, String returned) {
    }

    private record Slot(String key, LimitSet limits) {
    }

    private record Waiter(long units, CompletableFuture<RateLimitResult> future) {
    }

    private record Pending(Call call, CompletableFuture<RateLimitResult> future) {
    }

    /** Units held from Redis. Guarded by the owner's monitor. */
    private static final class Lease {
        final KeyState owner;
        final String member;
        final long units;
        final long expiresAt;
        final long limit;
        final long resetSeconds;
        /** Redis' remaining count after granting the lease, in units. */
        final long redisRemaining;
        long unused;
        /** Its give-back is on its way (or it was never given back because Redis failed): no longer this key's. */
        boolean returned;

        Lease(KeyState owner, String id, long units, long expiresAt, RateLimitResult granted) {
            this.owner = owner;
            this.member = id + ":" + units;
            this.units = units;
            this.expiresAt = expiresAt;
            this.limit = granted.limit();
            this.resetSeconds = granted.resetSeconds();
            this.redisRemaining = granted.remaining();
            this.unused = units;
        }

        boolean serves(long units, long now) {
            return this.unused >= units && expiresAt - now > 0;
        }
    }

    /** One key's leases and refusal. Guarded by its own monitor. */
    private static final class KeyState {
        final Slot slot;
        /** The lease requests spend from, and the one taken ahead of need (both may be null). */
        Lease current;
        Lease next;
        /** Ended leases, given back with the key's next call. */
        final List<Lease> ended = new ArrayList<>(2);
        /** A lease call is in flight: requests finding no units wait for it in {@link #waiters}. */
        boolean calling;
        /** Whether the last reply granted a lease: if not, requests do not wait for each other. */
        boolean leasing = true;
        final Queue<Waiter> waiters = new ArrayDeque<>();
        long refusedUntil;
        long refusedUnits;
        RateLimitResult refusal;

        KeyState(Slot slot) {
            this.slot = slot;
        }

        /** The decision this instance can make alone, or null. */
        /** @param refusalsHold whether a remembered refusal may answer (not while the store is unreachable) */
        RateLimitResult decideLocally(long units, long now, boolean refusalsHold) {
            if (current == null || !current.serves(units, now)) {
                if (next == null || !next.serves(units, now)) {
                    return refusalsHold ? refused(units, now) : null;
                }
                end(current);
                current = next;
                next = null;
            }
            current.unused -= units;
            Lease newest = next != null ? next : current;
            long held = current.unused + (next != null ? next.unused : 0);
            return new RateLimitResult(true, newest.limit, newest.redisRemaining + held, newest.resetSeconds, 0);
        }

        private RateLimitResult refused(long units, long now) {
            if (refusal == null || units < refusedUnits || refusedUntil - now <= 0) {
                return null;
            }
            long retryAfter = Math.max(1, (refusedUntil - now + 999_999_999L) / 1_000_000_000L);
            return new RateLimitResult(false, refusal.limit(), 0, refusal.resetSeconds(), retryAfter);
        }

        /** Whether to take the next lease now: a quarter of the current one is spent and none is on its way. */
        boolean wantsNext() {
            return leasing && !calling && next == null && current != null && 4 * current.unused <= 3 * current.units;
        }

        void end(Lease lease) {
            if (lease != null && !lease.returned) {
                ended.add(lease);
            }
        }

        /** Takes what the next call gives back: the ended leases, and with {@code all} the held ones too. */
        String takeReturns(boolean all) {
            if (all) {
                end(current);
                end(next);
                current = null;
                next = null;
            }
            if (ended.isEmpty()) {
                return "";
            }
            StringBuilder returns = new StringBuilder();
            for (Lease lease : ended) {
                lease.returned = true;
                returns.append(returns.isEmpty() ? "" : ",").append(lease.member).append('=').append(lease.unused);
            }
            ended.clear();
            return returns.toString();
        }

        void install(Lease granted) {
            if (current == null || current.unused == 0) {
                end(current);
                current = granted;
            } else if (next == null) {
                next = granted;
            } else {
                end(granted);
            }
        }

        /** Drops {@code lease} from this key (its ttl passed); true when it was still this key's to give back. */
        boolean release(Lease lease) {
            if (lease.returned) {
                return false;
            }
            lease.returned = true;
            if (current == lease) {
                current = null;
            }
            if (next == lease) {
                next = null;
            }
            ended.remove(lease);
            return true;
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
    private final BooleanSupplier storeReachable;
    private final ScheduledFuture<?> sweep;

    /**
     * @param storeReachable whether Redis is reachable: while it is not, remembered refusals do not answer (the route's
     *                       {@code on_store_failure} does, as without leases)
     */
    RedisLeases(RedisRateLimitStore.Lease config, Function<Call, CompletionStage<RedisRateLimitStore.Reply>> script,
                ScheduledExecutorService scheduler, BooleanSupplier storeReachable) {
        this.storeReachable = storeReachable;
        this.config = config;
        this.script = script;
        this.ttlNanos = config.ttl().toNanos();
        this.states = Caffeine.newBuilder()
                .maximumSize(MAXIMUM_KEYS)
                // idle keys go; a refusal remembered longer than this is simply asked again
                .expireAfterAccess(Duration.ofNanos(Math.max(4 * ttlNanos, Duration.ofSeconds(10).toNanos())))
                .removalListener((Slot slot, KeyState state, RemovalCause cause) -> {
                    if (state != null) {
                        giveBackAll(state);
                    }
                })
                .executor(Runnable::run)
                .build();
        long period = Math.max(1, Math.min(ttlNanos / 4, Duration.ofMillis(100).toNanos()));
        this.sweep = scheduler.scheduleAtFixedRate(this::sweep, period, period, TimeUnit.NANOSECONDS);
    }

    CompletionStage<RateLimitResult> acquire(String key, LimitSet limits, long units) {
        long now = System.nanoTime();
        KeyState state = states.get(new Slot(key, limits), KeyState::new);
        Call call;
        CompletableFuture<RateLimitResult> result;
        synchronized (state) {
            RateLimitResult local = state.decideLocally(units, now, storeReachable.getAsBoolean());
            if (local != null) {
                call = state.wantsNext() ? newCall(state, 0, false) : null;
                result = CompletableFuture.completedFuture(local);
            } else if (state.calling) {
                result = new CompletableFuture<>();
                state.waiters.add(new Waiter(units, result));
                return result;
            } else {
                result = new CompletableFuture<>();
                call = newCall(state, units, true);
            }
        }
        if (call != null) {
            send(state, call, now, call.units() == 0 ? new CompletableFuture<>() : result);
        }
        return result;
    }

    /**
     * A call for {@code units} (0: the next lease, ahead of need) giving back the ended leases, and with
     * {@code giveBackHeld} the held ones too (a request they cannot serve); a lease call (others wait) unless near
     * the limit.
     */
    private Call newCall(KeyState state, long units, boolean giveBackHeld) {
        String returned = state.takeReturns(giveBackHeld);
        state.calling |= state.leasing;
        Slot slot = state.slot;
        return new Call(slot.key(), slot.limits(), units, config.maxUnits(), idPrefix + ids.incrementAndGet(), returned);
    }

    private void send(KeyState state, Call call, long sentAt, CompletableFuture<RateLimitResult> result) {
        script.apply(call).whenComplete((reply, failure) -> onReply(state, call, sentAt, result, reply, failure));
    }

    private void onReply(KeyState state, Call call, long sentAt, CompletableFuture<RateLimitResult> result,
                         RedisRateLimitStore.Reply reply, Throwable failure) {
        long now = System.nanoTime();
        List<Runnable> completions = new ArrayList<>();
        List<Pending> next = new ArrayList<>();
        RateLimitResult decided = null;
        synchronized (state) {
            boolean coalesced = state.calling;
            state.calling = false;
            if (failure != null) {
                if (coalesced) {
                    for (Waiter waiter : state.waiters) {
                        completions.add(() -> waiter.future().completeExceptionally(failure));
                    }
                    state.waiters.clear();
                }
            } else {
                decided = decide(state, call, sentAt, now, reply);
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
        for (Pending pending : next) {
            send(state, pending.call(), now, pending.future());
        }
    }

    /** The verdict of {@code reply} for the call's own request; installs a granted lease, remembers a refusal. */
    private RateLimitResult decide(KeyState state, Call call, long sentAt, long now, RedisRateLimitStore.Reply reply) {
        LimitSet limits = call.limits();
        RateLimitResult redis = Gcra.result(limits, reply.now(), reply.tats(), call.units() + reply.leased());
        state.leasing = reply.leased() > 0;
        if (!redis.allowed()) {
            state.refusal = redis;
            state.refusedUnits = call.units();
            state.refusedUntil = now + Gcra.waitMicros(limits, reply.now(), reply.tats(), call.units()) * 1000;
            return redis;
        }
        if (reply.leased() == 0) {
            return redis;
        }
        // the lease's clock starts when the call was sent, before Redis started its own
        Lease granted = new Lease(state, call.leaseId(), reply.leased(), sentAt + ttlNanos, redis);
        state.install(granted);
        expiring.add(granted);
        return new RateLimitResult(true, redis.limit(), redis.remaining() + reply.leased(), redis.resetSeconds(), 0);
    }

    /**
     * Serves waiting requests from the new lease (or the refusal) in order; the first that does not fit makes the
     * next call and the rest wait for it, or, without a lease, each makes its own.
     */
    private void serveWaiters(KeyState state, long now, List<Runnable> completions, List<Pending> next) {
        while (!state.waiters.isEmpty()) {
            Waiter waiter = state.waiters.peek();
            RateLimitResult local = state.decideLocally(waiter.units(), now, storeReachable.getAsBoolean());
            if (local == null) {
                break;
            }
            state.waiters.poll();
            completions.add(() -> waiter.future().complete(local));
        }
        boolean leasing = state.leasing;
        while (!state.waiters.isEmpty()) {
            Waiter waiter = state.waiters.poll();
            next.add(new Pending(newCall(state, waiter.units(), true), waiter.future()));
            if (leasing) {
                return;
            }
        }
        if (next.isEmpty() && state.wantsNext()) {
            next.add(new Pending(newCall(state, 0, false), new CompletableFuture<>()));
        }
    }

    /** Gives back leases whose ttl has passed (they are in expiry order). */
    private void sweep() {
        long now = System.nanoTime();
        for (Lease head = expiring.peek(); head != null && head.expiresAt - now <= 0; head = expiring.peek()) {
            expiring.poll();
            boolean release;
            synchronized (head.owner) {
                release = head.owner.release(head);
            }
            if (release) {
                giveBack(head.owner.slot, head.member + "=" + head.unused);
            }
        }
    }

    /** Gives back every lease of {@code state}; null when it held none. */
    private CompletableFuture<?> giveBackAll(KeyState state) {
        String returned;
        synchronized (state) {
            returned = state.takeReturns(true);
        }
        return returned.isEmpty() ? null : giveBack(state.slot, returned);
    }

    /** Fire and forget: a lease not given back ends in Redis after its ttl, its units counted as spent. */
    private CompletableFuture<?> giveBack(Slot slot, String returned) {
        return script.apply(new Call(slot.key(), slot.limits(), 0, 0, "", returned))
                .toCompletableFuture()
                .exceptionally(failure -> null);
    }

    /**
     * Forgets every remembered refusal: called when Redis is reachable again after an outage, since it may have come
     * back without its data (the limits then start afresh there, as they do without leases).
     */
    void forgetRefusals() {
        for (KeyState state : states.asMap().values()) {
            synchronized (state) {
                state.refusal = null;
            }
        }
    }

    /** Gives back every lease, waiting at most {@code timeout} for Redis to take them. */
    void close(Duration timeout) {
        sweep.cancel(false);
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (KeyState state : states.asMap().values()) {
            CompletableFuture<?> given = giveBackAll(state);
            if (given != null) {
                pending.add(given);
            }
        }
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            // units not given back are counted as spent until their lease ends in Redis
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
