package io.atrium.graphql.transport;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;

/**
 * The buffer pool of the kit's data paths (the BFFs' answers, {@link LoopHttpClient}'s connections to routers and
 * subgraphs): pooled direct memory in 4 MiB chunks (page 8 KiB, order 9, Netty's own default), with per-event-loop
 * caches.
 *
 * <p>Not {@link PooledByteBufAllocator#DEFAULT}: that one is sized from {@code io.netty.allocator.maxOrder}, which
 * Micronaut sets to 3 (64 KiB chunks) in any process that starts its HTTP server, so in a BFF every 64 KiB read of a
 * router's answer took a chunk of its own (a new, zeroed one whenever the last was freed) and every answer over 64 KiB
 * was allocated unpooled, zeroed and unmapped again (profile of bff-mobile under the BFF benchmark: ~6% of its CPU in
 * zeroing, plus the TLB shoot-downs of the unmaps).
 */
public final class DataPathBuffers {
    private static final int PAGE_SIZE = 8192;
    private static final int MAX_ORDER = 9;

    /** Shared by every data path of the process. */
    public static final ByteBufAllocator ALLOCATOR = new PooledByteBufAllocator(true,
            PooledByteBufAllocator.defaultNumHeapArena(), PooledByteBufAllocator.defaultNumDirectArena(), PAGE_SIZE,
            MAX_ORDER, PooledByteBufAllocator.defaultSmallCacheSize(), PooledByteBufAllocator.defaultNormalCacheSize(),
            false);

    private DataPathBuffers() {
    }
}
