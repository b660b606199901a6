package io.atrium.router.connector.internal;

import graphql.language.Field;
import io.atrium.router.connector.CallContext;
import io.atrium.router.connector.ConnectorErrorCodes;
import io.atrium.router.connector.ConnectorException;
import io.atrium.router.connector.ConnectorSubgraph;
import io.atrium.router.connector.EntityBatching;
import io.atrium.router.connector.EntityCall;
import io.atrium.router.connector.EntityResolver;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * {@code _entities(representations:)}: representations grouped by type; per type, chunks of the resolver's
 * {@code maxSize} (one call each, at most {@code concurrency} in flight), results matched back by key or position.
 * A representation without a result becomes {@code null} with an {@code ENTITY_NOT_FOUND} error at
 * {@code ["_entities", i]}; a failed call nulls its chunk with the call's error. A type without a resolver is
 * answered from its representation (its fields then come from field resolvers reading the key fields).
 */
final class EntityFetch {

    private final ConnectorSubgraph subgraph;
    private final CallContext context;
    private final OperationRun run;

    EntityFetch(ConnectorSubgraph subgraph, CallContext context, OperationRun run) {
        this.subgraph = subgraph;
        this.context = context;
        this.run = run;
    }

    /** @return the entities, or a {@link CompletableFuture} of them while calls are running */
    @SuppressWarnings("unchecked")
    Object run(Object representationsArg, List<Field> fields) {
        if (!(representationsArg instanceof List<?> list)) {
            return run.nullWithError(OperationRun.Path.ROOT.with("_entities"), ConnectorException.of(
                    ConnectorErrorCodes.CONNECTOR_RESPONSE_INVALID, "_entities needs a list of representations"));
        }
        Object[] entities = new Object[list.size()];
        Map<String, List<Integer>> byType = new LinkedHashMap<>();
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) instanceof Map<?, ?> rep && rep.get("__typename") instanceof String type) {
                byType.computeIfAbsent(type, k -> new ArrayList<>()).add(i);
            } else {
                run.error(List.of("_entities", i), ConnectorException.of(ConnectorErrorCodes.CONNECTOR_RESPONSE_INVALID,
                        "a representation needs __typename"));
            }
        }
        List<CompletableFuture<Void>> types = new ArrayList<>();
        for (var entry : byType.entrySet()) {
            List<Map<String, Object>> reps = new ArrayList<>(entry.getValue().size());
            for (int index : entry.getValue()) {
                reps.add((Map<String, Object>) list.get(index));
            }
            EntityResolver resolver = subgraph.entities().get(entry.getKey());
            if (resolver == null) {
                for (int i = 0; i < reps.size(); i++) {
                    entities[entry.getValue().get(i)] = reps.get(i);
                }
                continue;
            }
            types.add(resolveType(entry.getKey(), resolver, reps, entry.getValue(), entities));
        }
        if (types.isEmpty()) {
            return complete(entities, fields);
        }
        return (types.size() == 1 ? types.getFirst() : CompletableFuture.allOf(types.toArray(CompletableFuture[]::new)))
                .thenCompose(ignored -> OperationRun.settled(complete(entities, fields)));
    }

    /** The entities shaped by the selection (a list, or a future of it while a field resolver below runs). */
    private Object complete(Object[] entities, List<Field> fields) {
        OperationRun.Path path = OperationRun.Path.ROOT.with("_entities");
        Object[] completed = new Object[entities.length];
        for (int i = 0; i < entities.length; i++) {
            completed[i] = entities[i] instanceof Map<?, ?> m && m.get("__typename") instanceof String type
                    ? run.complete(type, entities[i], fields, path.with(i)) : null;
        }
        return OperationRun.listOf(completed);
    }

    private CompletableFuture<Void> resolveType(String type, EntityResolver resolver, List<Map<String, Object>> reps,
                                                List<Integer> indexes, Object[] entities) {
        EntityBatching batching = resolver.batching();
        List<Supplier<CompletionStage<List<Object>>>> calls = new ArrayList<>();
        List<int[]> chunks = new ArrayList<>();
        for (int from = 0; from < reps.size(); from += batching.maxSize()) {
            int to = Math.min(reps.size(), from + batching.maxSize());
            List<Map<String, Object>> chunk = reps.subList(from, to);
            chunks.add(new int[]{from, to});
            calls.add(() -> resolver.resolve(new EntityCall(type, chunk, context)));
        }
        List<CompletableFuture<List<Object>>> results = Bounded.run(calls, batching.concurrency());
        List<CompletableFuture<Void>> matched = new ArrayList<>(results.size());
        for (int c = 0; c < results.size(); c++) {
            int[] range = chunks.get(c);
            matched.add(results.get(c).handle((found, error) -> {
                Map<Object, Object> keyed = found != null && batching.match() == EntityBatching.Match.BY_KEY
                        ? byKey(batching.keyPaths(), found) : Map.of();
                for (int i = range[0]; i < range[1]; i++) {
                    int index = indexes.get(i);
                    if (error != null) {
                        run.error(List.of("_entities", index), error);
                        continue;
                    }
                    Object entity = match(batching, found, keyed, reps.get(i), i - range[0]);
                    if (entity instanceof Map<?, ?> object) {
                        entities[index] = merge(reps.get(i), object);
                    } else {
                        run.error(List.of("_entities", index), ConnectorException.of(ConnectorErrorCodes.ENTITY_NOT_FOUND,
                                "no " + type + " was found for this key"));
                    }
                }
                return null;
            }));
        }
        // one chunk (the common case): its own future, without an allOf stage around it
        return matched.size() == 1 ? matched.getFirst() : CompletableFuture.allOf(matched.toArray(CompletableFuture[]::new));
    }

    /** The result for representation {@code position} of a chunk, or null. */
    private static Object match(EntityBatching batching, List<Object> found, Map<Object, Object> keyed,
                                Map<String, Object> representation, int position) {
        if (found == null) {
            return null;
        }
        return switch (batching.match()) {
            case SINGLE -> found.isEmpty() ? null : found.getFirst();
            case BY_POSITION -> position < found.size() ? found.get(position) : null;
            case BY_KEY -> keyed.get(key(batching.keyPaths(), representation));
        };
    }

    private static Map<Object, Object> byKey(List<List<String>> paths, List<Object> found) {
        Map<Object, Object> index = HashMap.newHashMap(found.size());
        for (Object item : found) {
            if (item instanceof Map<?, ?> object) {
                index.putIfAbsent(key(paths, object), item);
            }
        }
        return index;
    }

    /**
     * The values at the key paths (the value itself for a key of one field, else their list), numbers and strings
     * compared as text (an id may be 7 in one place, "7" in another).
     */
    private static Object key(List<List<String>> paths, Map<?, ?> object) {
        if (paths.size() == 1) {
            return keyValue(paths.getFirst(), object);
        }
        List<Object> key = new ArrayList<>(paths.size());
        for (List<String> path : paths) {
            key.add(keyValue(path, object));
        }
        return key;
    }

    private static Object keyValue(List<String> path, Map<?, ?> object) {
        Object value = object;
        for (int i = 0; i < path.size(); i++) {
            value = value instanceof Map<?, ?> m ? m.get(path.get(i)) : null;
        }
        return value instanceof Number || value instanceof String ? value.toString() : value;
    }

    /** The result over the representation: key fields the backend leaves out stay, {@code __typename} is the representation's. */
    private static Map<String, Object> merge(Map<String, Object> representation, Map<?, ?> result) {
        return new Merged(representation, result);
    }

    /**
     * A backend's result over its representation, read through rather than copied (the selection reads a few of its
     * fields once): the result's value where it has the key, else the representation's; {@code __typename} is
     * always the representation's.
     */
    static final class Merged extends AbstractMap<String, Object> {
        private final Map<String, Object> representation;
        private final Map<?, ?> result;
        private Map<String, Object> copy;

        Merged(Map<String, Object> representation, Map<?, ?> result) {
            this.representation = representation;
            this.result = result;
        }

        @Override
        public Object get(Object key) {
            if (!"__typename".equals(key)) {
                Object value = result.get(key);
                if (value != null || result.containsKey(key)) {
                    return value;
                }
            }
            return representation.get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            return representation.containsKey(key) || !"__typename".equals(key) && result.containsKey(key);
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            if (copy == null) {
                Map<String, Object> merged = new LinkedHashMap<>(representation);
                for (var entry : result.entrySet()) {
                    if (!"__typename".equals(entry.getKey())) {
                        merged.put((String) entry.getKey(), entry.getValue());
                    }
                }
                copy = Collections.unmodifiableMap(merged);
            }
            return copy.entrySet();
        }
    }
}
