package io.atrium.router.connector.internal;

import graphql.language.Argument;
import graphql.language.ArrayValue;
import graphql.language.BooleanValue;
import graphql.language.Directive;
import graphql.language.Document;
import graphql.language.EnumValue;
import graphql.language.Field;
import graphql.language.FloatValue;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.IntValue;
import graphql.language.NullValue;
import graphql.language.ObjectField;
import graphql.language.ObjectValue;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.language.VariableReference;
import io.atrium.router.connector.CallContext;
import io.atrium.router.connector.ConnectorErrorCodes;
import io.atrium.router.connector.ConnectorException;
import io.atrium.router.connector.ConnectorSubgraph;
import io.atrium.router.connector.FieldCall;
import io.atrium.router.connector.FieldResolver;
import io.atrium.router.json.Json;
import io.atrium.router.supergraph.FieldMeta;
import io.atrium.router.supergraph.Supergraph;
import io.atrium.router.supergraph.TypeKind;
import io.atrium.router.supergraph.TypeMeta;
import io.atrium.router.transport.SubgraphFetchException;
import io.atrium.router.transport.SubgraphResponse;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subgraph operation executed against a connector subgraph's resolvers: fields with a resolver call it (root
 * fields with their arguments, other fields once per parent object), fields without one read the parent object,
 * {@code _entities} goes through {@link EntityFetch}. Query fields run concurrently, mutation fields in order.
 * The answer is shaped by the operation (aliases, fragments, {@code __typename}); failures are nulls plus errors.
 *
 * <p>Shaping is synchronous wherever no resolver is waited for: a value is built in place, and only a part of the
 * answer below a running resolver call is a {@link CompletableFuture} ({@link #PENDING pending}), joined once when
 * its parent object or list is built. Paths are linked segments, made into lists only for errors; the fields
 * collected for a type and a selection are remembered for the run (every item of a list asks for the same).
 */
public final class OperationRun {

    private static final Logger LOG = LoggerFactory.getLogger(OperationRun.class);

    private final ConnectorSubgraph subgraph;
    private final Supergraph supergraph;
    private final String graph;
    private final OperationDefinition operation;
    private final Map<String, FragmentDefinition> fragments;
    private final Map<String, Object> variables;
    private final CallContext context;
    private final Queue<Map<String, Object>> errors = new ConcurrentLinkedQueue<>();
    /**
     * (concrete type, the fields of one response key) → the fields selected on that type, in response order: the
     * document's own map when what a selection collects depends on the document alone, else this run's.
     */
    private final Map<Selected, Slot[]> collected;

    /**
     * A subgraph operation parsed once (subgraph operations come from cached plans: a few texts, each run many
     * times), with what its runs can share: its fragments, and, when no {@code @skip}/{@code @include} makes the
     * collected fields depend on variables, the fields each selection collects on each type.
     */
    public static final class Compiled {
        private final Document document;
        private final Map<String, FragmentDefinition> fragments = new LinkedHashMap<>();
        private final Map<Selected, Slot[]> collected;

        /** @param text the document's text (a conservative test for {@code @skip}/{@code @include}) */
        public Compiled(Document document, String text) {
            this.document = document;
            for (var definition : document.getDefinitions()) {
                if (definition instanceof FragmentDefinition fragment) {
                    fragments.put(fragment.getName(), fragment);
                }
            }
            this.collected = text.contains("@skip") || text.contains("@include") ? null : new ConcurrentHashMap<>();
        }
    }

    /** @param operation the operation whose root selection this is (null below the root) */
    private record Selected(String type, List<Field> fields, OperationDefinition operation) {
    }

    /** A selection on an object type and its slots, as {@link #recentObjectSlots} remembers them. */
    private record Recent(String type, List<Field> fields, Slot[] slots) {
    }

    /**
     * The last few {@link Recent} lookups, replaced in turn. Read and written without locks by whichever thread
     * completes a resolver: an entry is an immutable record, so a reader sees a whole one or none.
     */
    private final Recent[] recent = new Recent[8];
    private int recentNext;

    /**
     * One response key of a selection on a concrete type, with its field's metadata and resolver looked up once per
     * run rather than once per object (every item of a list has the same slots).
     */
    private record Slot(String key, List<Field> fields, FieldMeta meta, FieldResolver resolver) {
    }

    private Slot[] slots(String type, Map<String, List<Field>> fields) {
        TypeMeta typeMeta = supergraph.type(type);
        Slot[] slots = new Slot[fields.size()];
        int i = 0;
        for (var entry : fields.entrySet()) {
            String name = entry.getValue().getFirst().getName();
            slots[i++] = new Slot(entry.getKey(), entry.getValue(), typeMeta == null ? null : typeMeta.field(name),
                    subgraph.resolver(type, name));
        }
        return slots;
    }

    /** A response path: linked segments (a response key or a list index). */
    record Path(Path parent, Object segment) {
        static final Path ROOT = new Path(null, null);

        Path with(Object next) {
            return new Path(this, next);
        }

        List<Object> toList() {
            ArrayList<Object> list = new ArrayList<>();
            for (Path at = this; at.parent != null; at = at.parent) {
                list.add(at.segment);
            }
            java.util.Collections.reverse(list);
            return list;
        }
    }

    public OperationRun(ConnectorSubgraph subgraph, Compiled compiled, String operationName,
                        Map<String, Object> variables, CallContext context) {
        this.subgraph = subgraph;
        this.supergraph = subgraph.supergraph();
        this.graph = subgraph.subgraph().graphEnum();
        this.variables = variables == null ? Map.of() : variables;
        this.context = context;
        this.fragments = compiled.fragments;
        this.collected = compiled.collected != null ? compiled.collected : new ConcurrentHashMap<>();
        OperationDefinition chosen = null;
        for (var definition : compiled.document.getDefinitions()) {
            if (definition instanceof OperationDefinition op
                    && (operationName == null || operationName.equals(op.getName()))) {
                chosen = op;
                break;
            }
        }
        this.operation = chosen;
    }

    public CompletionStage<SubgraphResponse> run() {
        if (operation == null) {
            return CompletableFuture.failedFuture(new SubgraphFetchException("connector subgraph '"
                    + context.subgraph() + "' got no operation to run"));
        }
        boolean mutation = operation.getOperation() == OperationDefinition.Operation.MUTATION;
        String root = mutation ? supergraph.mutationType() : supergraph.queryType();
        Slot[] fields = collected.computeIfAbsent(new Selected(root, List.of(), operation),
                key -> slots(root, collect(root, operation.getSelectionSet(), new LinkedHashMap<>())));
        CompletableFuture<Object> data = mutation ? inOrder(root, fields) : settled(object(root, null, fields, Path.ROOT));
        return data.thenApply(d -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> answer = (Map<String, Object>) d;
            return new SubgraphResponse(answer, List.copyOf(errors), 200, context.cacheControl());
        });
    }

    private CompletableFuture<Object> inOrder(String type, Slot[] fields) {
        Map<String, Object> result = new LinkedHashMap<>();
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (Slot slot : fields) {
            chain = chain.thenCompose(ignored -> settled(field(type, null, slot, Path.ROOT))
                    .thenAccept(value -> result.put(slot.key(), value)));
        }
        return chain.thenApply(ignored -> result);
    }

    /** Is this value still waiting for a resolver (then it is a {@link CompletableFuture} of the value)? */
    static boolean pending(Object value) {
        return value instanceof CompletableFuture<?>;
    }

    /** The value as a future: itself when pending, else already completed. */
    @SuppressWarnings("unchecked")
    static CompletableFuture<Object> settled(Object value) {
        return pending(value) ? (CompletableFuture<Object>) value : CompletableFuture.completedFuture(value);
    }

    /**
     * Values some of which may be pending, as a list: at once when none is, else a future of it completed once every
     * pending one is (each then replaced by its value).
     */
    static Object listOf(Object[] values) {
        List<CompletableFuture<?>> waiting = null;
        for (Object value : values) {
            if (pending(value)) {
                waiting = waiting == null ? new ArrayList<>() : waiting;
                waiting.add((CompletableFuture<?>) value);
            }
        }
        if (waiting == null) {
            return Arrays.asList(values);
        }
        return (waiting.size() == 1 ? waiting.getFirst() : CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new)))
                .thenApply(ignored -> {
                    for (int i = 0; i < values.length; i++) {
                        values[i] = pending(values[i]) ? ((CompletableFuture<?>) values[i]).join() : values[i];
                    }
                    return Arrays.asList(values);
                });
    }

    /** The fields of one object, built at once when none waits for a resolver, else once the waiting ones are done. */
    private Object object(String type, Map<String, Object> parent, Slot[] fields, Path path) {
        Map<String, Object> built = Json.object(fields.length);
        for (int i = 0; i < fields.length; i++) {
            Object value = field(type, parent, fields[i], path);
            if (pending(value)) {
                return waiting(type, parent, fields, path, built, i, value);
            }
            built.put(fields[i].key(), value);
        }
        return built;
    }

    /**
     * The rest of {@link #object} from the first field that waits for a resolver: the fields before it are in
     * {@code built} (one per slot, in slot order), the object is made once every field has its value.
     */
    private Object waiting(String type, Map<String, Object> parent, Slot[] fields, Path path,
                           Map<String, Object> built, int first, Object firstValue) {
        Object[] values = new Object[fields.length];
        int i = 0;
        for (Object value : built.values()) {
            values[i++] = value;
        }
        values[first] = firstValue;
        for (i = first + 1; i < fields.length; i++) {
            values[i] = field(type, parent, fields[i], path);
        }
        return ((CompletableFuture<?>) listOf(values)).thenApply(list -> objectOf(fields, (List<?>) list));
    }

    private static Map<String, Object> objectOf(Slot[] fields, List<?> values) {
        Map<String, Object> result = Json.object(values.size());
        for (int i = 0; i < fields.length; i++) {
            result.put(fields[i].key(), values.get(i));
        }
        return result;
    }

    /** @param at the path of the object the field belongs to (the field's own is made only when needed) */
    private Object field(String type, Map<String, Object> parent, Slot slot, Path at) {
        List<Field> fields = slot.fields();
        Field first = fields.getFirst();
        String name = first.getName();
        if ("__typename".equals(name)) {
            return type;
        }
        if (parent == null && "_entities".equals(name)) {
            return new EntityFetch(subgraph, context, this).run(arguments(first).get("representations"), fields);
        }
        FieldMeta meta = slot.meta();
        FieldResolver resolver = slot.resolver();
        if (meta == null || (resolver == null && parent == null)) {
            return nullWithError(at.with(slot.key()), ConnectorException.of(ConnectorErrorCodes.CONNECTOR_NOT_FOUND,
                    "no connector answers " + type + "." + name));
        }
        if (resolver == null) {
            Object value = parent.get(name);
            // a leaf (or a list of leaves) is the parent's value as it is
            return first.getSelectionSet() == null ? value : complete(meta.namedType(), value, fields, at.with(slot.key()));
        }
        Path path = at.with(slot.key());
        CompletableFuture<Object> called;
        try {
            called = resolver.resolve(new FieldCall(type, name, arguments(first), parent, context)).toCompletableFuture();
        } catch (RuntimeException e) {
            called = CompletableFuture.failedFuture(e);
        }
        if (called.isDone()) {
            // answered already (a batched field its entity call brought along): shaped now, so the object it belongs
            // to is built at once rather than through futures (three stages and a join per parent object before)
            return called.isCompletedExceptionally() ? nullWithError(path, called.exceptionNow())
                    : complete(meta.namedType(), called.getNow(null), fields, path);
        }
        return called.handle((value, error) -> error != null ? nullWithError(path, error)
                : complete(meta.namedType(), value, fields, path)).thenCompose(OperationRun::settled);
    }

    /**
     * Shapes a resolved value by the selection: lists element-wise, leaves as they are, objects field by field.
     *
     * @return the shaped value, or a {@link CompletableFuture} of it when a resolver below it is still running
     */
    Object complete(String namedType, Object value, List<Field> fields, Path path) {
        if (value == null) {
            return null;
        }
        if (value instanceof List<?> list) {
            // an ArrayList, as a GraphQL subgraph's parsed answer has: the router's merge and response writing then
            // iterate one list class (with two, their calls are bimorphic and the iterator's next() is not inlined)
            int size = list.size();
            ArrayList<Object> items = new ArrayList<>(size);
            boolean waiting = false;
            for (int i = 0; i < size; i++) {
                Object item = complete(namedType, list.get(i), fields, path.with(i));
                waiting |= pending(item);
                items.add(item);
            }
            return !waiting ? items
                    : ((CompletableFuture<?>) listOf(items.toArray())).thenApply(done -> new ArrayList<>((List<?>) done));
        }
        if (fields.getFirst().getSelectionSet() == null) {
            return value;
        }
        if (!(value instanceof Map<?, ?> map)) {
            return nullWithError(path, ConnectorException.of(ConnectorErrorCodes.CONNECTOR_RESPONSE_INVALID,
                    "expected an object of type " + namedType));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> object = (Map<String, Object>) map;
        Slot[] selected = recentObjectSlots(namedType, fields);
        String concrete = namedType;
        if (selected == null) {
            concrete = concreteType(namedType, object);
            if (concrete == null) {
                return nullWithError(path, ConnectorException.of(ConnectorErrorCodes.CONNECTOR_RESPONSE_INVALID,
                        "the connector's value for abstract type " + namedType + " names no known __typename"));
            }
            selected = collected.computeIfAbsent(new Selected(concrete, fields, null), key -> {
                Map<String, List<Field>> into = new LinkedHashMap<>();
                for (Field field : key.fields()) {
                    collect(key.type(), field.getSelectionSet(), into);
                }
                return slots(key.type(), into);
            });
            if (concrete.equals(namedType)) { // an object type (an abstract one is never its own concrete type)
                recent[recentNext++ & (recent.length - 1)] = new Recent(namedType, fields, selected);
            }
        }
        return object(concrete, object, selected, path);
    }

    /**
     * The slots of a selection on an object type looked up lately by this run, or null: a list's items and the
     * objects below them ask for the same few (type, selection) pairs over and over, which {@link #collected} would
     * answer only after hashing the selection's fields each time.
     */
    private Slot[] recentObjectSlots(String type, List<Field> fields) {
        for (Recent seen : recent) {
            if (seen != null && seen.fields() == fields && seen.type().equals(type)) {
                return seen.slots();
            }
        }
        return null;
    }

    private String concreteType(String namedType, Map<String, Object> value) {
        TypeMeta type = supergraph.type(namedType);
        if (type == null) {
            return null;
        }
        if (type.kind() == TypeKind.OBJECT) {
            return namedType;
        }
        if (value.get("__typename") instanceof String typename && supergraph.isSubtype(typename, namedType)) {
            return typename;
        }
        List<String> possible = supergraph.possibleTypesIn(namedType, graph);
        return possible.size() == 1 ? possible.getFirst() : null;
    }

    private Map<String, List<Field>> collect(String type, SelectionSet selectionSet, Map<String, List<Field>> into) {
        for (Selection<?> selection : selectionSet.getSelections()) {
            switch (selection) {
                case Field field when included(field.getDirectives()) ->
                        into.computeIfAbsent(field.getResultKey(), k -> new ArrayList<>(1)).add(field);
                case InlineFragment inline when included(inline.getDirectives()) && applies(type,
                        inline.getTypeCondition() == null ? null : inline.getTypeCondition().getName()) ->
                        collect(type, inline.getSelectionSet(), into);
                case FragmentSpread spread when included(spread.getDirectives()) -> {
                    FragmentDefinition fragment = fragments.get(spread.getName());
                    if (fragment != null && applies(type, fragment.getTypeCondition().getName())) {
                        collect(type, fragment.getSelectionSet(), into);
                    }
                }
                default -> {
                }
            }
        }
        return into;
    }

    private boolean applies(String type, String condition) {
        return condition == null || supergraph.isSubtype(type, condition);
    }

    private boolean included(List<Directive> directives) {
        for (Directive directive : directives) {
            boolean skip = "skip".equals(directive.getName());
            if ((skip || "include".equals(directive.getName())) && directive.getArgument("if") != null) {
                boolean condition = Boolean.TRUE.equals(value(directive.getArgument("if").getValue()));
                if (condition == skip) {
                    return false;
                }
            }
        }
        return true;
    }

    private Map<String, Object> arguments(Field field) {
        if (field.getArguments().isEmpty()) {
            return Map.of();
        }
        Map<String, Object> arguments = new LinkedHashMap<>();
        for (Argument argument : field.getArguments()) {
            if (argument.getValue() instanceof VariableReference ref && !variables.containsKey(ref.getName())) {
                continue;
            }
            arguments.put(argument.getName(), value(argument.getValue()));
        }
        return arguments;
    }

    private Object value(Value<?> value) {
        return switch (value) {
            case VariableReference ref -> variables.get(ref.getName());
            case IntValue i -> integer(i.getValue());
            case FloatValue f -> f.getValue().doubleValue();
            case StringValue s -> s.getValue();
            case BooleanValue b -> b.isValue();
            case EnumValue e -> e.getName();
            case NullValue ignored -> null;
            case ArrayValue array -> {
                List<Object> list = new ArrayList<>(array.getValues().size());
                for (Value<?> item : array.getValues()) {
                    list.add(value(item));
                }
                yield list;
            }
            case ObjectValue object -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (ObjectField field : object.getObjectFields()) {
                    if (!(field.getValue() instanceof VariableReference ref) || variables.containsKey(ref.getName())) {
                        map.put(field.getName(), value(field.getValue()));
                    }
                }
                yield map;
            }
            default -> null;
        };
    }

    private static Object integer(BigInteger value) {
        if (value.bitLength() < 32) {
            return value.intValue();
        }
        return value.bitLength() < 64 ? (Object) value.longValue() : value;
    }

    /** Records the error at {@code path}; the value there is null. */
    Object nullWithError(Path path, Throwable failure) {
        error(path.toList(), failure);
        return null;
    }

    void error(List<Object> path, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        Map<String, Object> error = new LinkedHashMap<>();
        if (cause instanceof ConnectorException connector) {
            error.put("message", connector.getMessage());
            error.put("path", path);
            error.put("extensions", connector.extensions());
        } else {
            LOG.error("connector subgraph '{}' failed unexpectedly at {}", context.subgraph(), path, cause);
            error.put("message", "the connector failed unexpectedly");
            error.put("path", path);
            error.put("extensions", Map.of("code", ConnectorErrorCodes.CONNECTOR_FETCH, "service", context.subgraph()));
        }
        errors.add(error);
    }
}
