package io.atrium.router.connector.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** Runs tasks with at most {@code cap} in flight; each slot completes as its task does (failures stay per slot). */
final class Bounded {
    private Bounded() {
    }

    static <T> List<CompletableFuture<T>> run(List<Supplier<CompletionStage<T>>> tasks, int cap) {
        if (tasks.size() == 1) { // the common case (one chunk): nothing to cap, no slot to copy into
            return List.of(start(tasks.getFirst()));
        }
        List<CompletableFuture<T>> slots = new ArrayList<>(tasks.size());
        for (int i = 0; i < tasks.size(); i++) {
            slots.add(new CompletableFuture<>());
        }
        AtomicInteger next = new AtomicInteger();
        for (int worker = 0; worker < Math.min(cap, tasks.size()); worker++) {
            startNext(tasks, slots, next);
        }
        return slots;
    }

    /** Starts tasks until one is in flight; a task that completed synchronously lets the loop go on (no recursion). */
    private static <T> void startNext(List<Supplier<CompletionStage<T>>> tasks, List<CompletableFuture<T>> slots,
                                      AtomicInteger next) {
        while (true) {
            int index = next.getAndIncrement();
            if (index >= tasks.size()) {
                return;
            }
            CompletableFuture<T> running = start(tasks.get(index));
            CompletableFuture<T> slot = slots.get(index);
            if (running.isDone()) {
                copy(running, slot);
                continue;
            }
            running.whenComplete((value, error) -> {
                copy(running, slot);
                startNext(tasks, slots, next);
            });
            return;
        }
    }

    /** One task, started now; a task that throws is a failed future. */
    private static <T> CompletableFuture<T> start(Supplier<CompletionStage<T>> task) {
        try {
            return task.get().toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static <T> void copy(CompletableFuture<T> from, CompletableFuture<T> to) {
        from.whenComplete((value, error) -> {
            if (error != null) {
                to.completeExceptionally(error instanceof java.util.concurrent.CompletionException c && c.getCause() != null
                        ? c.getCause() : error);
            } else {
                to.complete(value);
            }
        });
    }
}
