package io.atrium.examples.graphql;

import graphql.ExecutionInput;
import graphql.execution.preparsed.PreparsedDocumentEntry;
import graphql.execution.preparsed.PreparsedDocumentProvider;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Caches parsed and validated documents by query text: a router sends the same few operations
 * over and over, so parsing and validating them once keeps the subgraph cheap under load. Bounded
 * by clearing when full, which is enough for a sample service.
 */
final class DocumentCache implements PreparsedDocumentProvider {

    private static final int MAX_ENTRIES = 1_000;

    private final ConcurrentHashMap<String, PreparsedDocumentEntry> entries = new ConcurrentHashMap<>();

    @Override
    public CompletableFuture<PreparsedDocumentEntry> getDocumentAsync(
            ExecutionInput input, Function<ExecutionInput, PreparsedDocumentEntry> parseAndValidate) {
        PreparsedDocumentEntry cached = entries.get(input.getQuery());
        if (cached != null) {
            return CompletableFuture.completedFuture(cached);
        }
        PreparsedDocumentEntry entry = parseAndValidate.apply(input);
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        entries.put(input.getQuery(), entry);
        return CompletableFuture.completedFuture(entry);
    }
}
