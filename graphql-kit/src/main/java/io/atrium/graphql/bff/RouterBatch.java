package io.atrium.graphql.bff;

import io.atrium.graphql.http.GraphQLHttpRequest;
import io.atrium.graphql.http.HeaderLookup;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The operations of one app batch that reach the router, sent to it as one batched POST once every element of the
 * app's batch is either waiting for the router or answered by the BFF itself (refused, introspection, …). The router's
 * answer is taken apart by the element lengths it states ({@code x-atrium-batch-lengths}), checked against the body;
 * an answer that does not add up fails its elements (never re-sent: a mutation must not run twice). A router that
 * refuses batches (400 before running anything) gets the elements one by one, and this BFF stops batching to it.
 */
final class RouterBatch {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RouterBatch.class);
    private record Waiting(GraphQLHttpRequest request, HeaderLookup headers,
                           CompletableFuture<RouterForwarder.Answer> answer) {
    }

    private final RouterForwarder router;
    private final String bffName;
    private final java.util.concurrent.atomic.AtomicBoolean routerBatches;
    private final int elements;
    private final List<Waiting> waiting = new ArrayList<>();
    private int settled;
    /** The router's whole answer and the element bodies taken from it, when one answer served every element. */
    private volatile byte[] whole;
    private volatile byte[][] parts;

    RouterBatch(RouterForwarder router, String bffName, int elements,
                java.util.concurrent.atomic.AtomicBoolean routerBatches) {
        this.router = router;
        this.bffName = bffName;
        this.elements = elements;
        this.routerBatches = routerBatches;
    }

    /** One element of the app's batch, to say whether it went to the router. */
    final class Slot {
        private boolean forwarded;

        CompletionStage<RouterForwarder.Answer> forward(GraphQLHttpRequest request, HeaderLookup elementHeaders) {
            forwarded = true;
            Waiting entry = new Waiting(request, elementHeaders, new CompletableFuture<>());
            List<Waiting> ready;
            synchronized (RouterBatch.this) {
                waiting.add(entry);
                ready = settle();
            }
            send(ready);
            return entry.answer();
        }

        /** The element is answered: if it never went to the router, the batch no longer waits for it. */
        void answered() {
            if (!forwarded) {
                List<Waiting> ready;
                synchronized (RouterBatch.this) {
                    ready = settle();
                }
                send(ready);
            }
        }
    }

    Slot slot() {
        return new Slot();
    }

    private List<Waiting> settle() {
        return ++settled == elements ? List.copyOf(waiting) : List.of();
    }

    private void send(List<Waiting> ready) {
        if (ready.isEmpty()) {
            return;
        }
        if (ready.size() == 1 || !routerBatches.get()) {
            ready.forEach(this::one);
            return;
        }
        // one router request: its trace context and credentials are the first element's (all came in one app request)
        router.forwardBatch(ready.stream().map(Waiting::request).toList(), ready.getFirst().headers(), bffName)
                .whenComplete((answer, failure) -> {
            if (failure != null) {
                ready.forEach(w -> w.answer().completeExceptionally(failure));
            } else if (answer.status() == 400 && answer.batchLengths() == null && refused(answer.body(), "BATCHING_NOT_ENABLED")) {
                if (routerBatches.getAndSet(false)) { // nothing ran: one by one, now and from now on
                    LOG.warn("event=router_refuses_batches bff={} action=\"batch elements are sent one by one; enable "
                            + "batching on the router or set router.batch: false\"", bffName);
                }
                ready.forEach(this::one);
            } else if (answer.status() == 400 && answer.batchLengths() == null && refused(answer.body(), "BATCH_LIMIT_EXCEEDED")) {
                ready.forEach(this::one); // nothing ran: this batch is over the router's max_operations
            } else {
                split(answer, ready);
            }
        });
    }

    /**
     * The router's whole answer when it answered every element of the app's batch and {@code bodies} are exactly the
     * bodies it was taken apart into, in order (nothing answered by the BFF, nothing replaced): the app's answer is then
     * those same bytes, sent without assembling them again. Null otherwise.
     */
    byte[] sameAsRouterAnswer(List<byte[]> bodies) {
        byte[][] taken = parts;
        if (whole == null || taken == null || taken.length != bodies.size()) {
            return null;
        }
        for (int i = 0; i < taken.length; i++) {
            if (taken[i] != bodies.get(i)) {
                return null;
            }
        }
        return whole;
    }

    private void one(Waiting entry) {
        router.forward(entry.request(), entry.headers(), bffName).whenComplete((answer, failure) -> {
            if (failure != null) {
                entry.answer().completeExceptionally(failure);
            } else {
                entry.answer().complete(answer);
            }
        });
    }

    private static boolean refused(byte[] body, String code) {
        return new String(body, java.nio.charset.StandardCharsets.UTF_8).contains("\"" + code + "\"");
    }

    /** Each element's bytes, by the stated lengths; all fail when they do not add up to the body. */
    private boolean split(RouterForwarder.Answer answer, List<Waiting> ready) {
        int[] lengths = lengths(answer.batchLengths(), ready.size());
        byte[] body = answer.body();
        int at = 1;
        boolean ok = lengths != null && answer.status() == 200 && body.length > 1 && body[0] == '['
                && body[body.length - 1] == ']';
        if (ok) {
            for (int i = 0; i < lengths.length && ok; i++) {
                at += lengths[i] + 1; // the element, then ',' or the closing ']'
                ok = at <= body.length && body[at - 1] == (i == lengths.length - 1 ? ']' : ',');
            }
            ok &= at == body.length;
        }
        if (!ok) {
            RouterForwarder.RouterUnavailable unreadable = new RouterForwarder.RouterUnavailable(
                    "the router's batch answer (status " + answer.status() + ") could not be taken apart", null, null);
            ready.forEach(w -> w.answer().completeExceptionally(unreadable));
            return false;
        }
        byte[][] taken = new byte[lengths.length][];
        at = 1;
        for (int i = 0; i < lengths.length; i++) {
            taken[i] = Arrays.copyOfRange(body, at, at + lengths[i]);
            at += lengths[i] + 1;
        }
        if (ready.size() == elements) {
            parts = taken;
            whole = body;
        }
        for (int i = 0; i < lengths.length; i++) {
            ready.get(i).answer().complete(new RouterForwarder.Answer(200, taken[i], answer.cacheControl()));
        }
        return true;
    }

    private static int[] lengths(String header, int count) {
        if (header == null) {
            return null;
        }
        String[] parts = header.split(",", -1);
        if (parts.length != count) {
            return null;
        }
        int[] lengths = new int[count];
        try {
            for (int i = 0; i < count; i++) {
                lengths[i] = Integer.parseInt(parts[i].strip());
                if (lengths[i] < 0) {
                    return null;
                }
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return lengths;
    }
}
