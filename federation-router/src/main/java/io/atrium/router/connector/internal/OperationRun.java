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
import io.atrium.router.supergraph.FieldMeta;
import io.atrium.router.supergraph.Supergraph;
import io.atrium.router.supergraph.TypeKind;
import io.atrium.router.supergraph.TypeMeta;
import io.atrium.router.transport.SubgraphFetchException;
import io.atrium.router.transport.SubgraphResponse;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subgraph operation executed against a connector subgraph's resolvers: fields with a resolver call it (root
 * fields with their arguments, other fields once per parent object), fields without one read the parent object,
 * {@code _entities} goes through {@link EntityFetch}. Query fields run concurrently, mutation fields in order.
 * The answer is shaped by the operation (aliases, fragments, {@code __typename}); failures are nulls plus errors.
 */
public final class OperationRun {

    private static final Logger LOG = LoggerFactory.getLogger(OperationRun.class);

    private final ConnectorSubgraph subgraph;
    private final Supergraph supergraph;
    private final String graph;
    private final OperationDefinition operation;
    private final Map<String, FragmentDefinition> fragments = new LinkedHashMap<>();
    private final Map<String, Object> variables;
    private final CallContext context;
    private final Queue<Map<String, Object>> errors = new ConcurrentLinkedQueue<>();

    public OperationRun(ConnectorSubgraph subgraph, Document document, String operationName,
                        Map<String, Object> variables, CallContext context) {
        this.subgraph = subgraph;
        this.supergraph = subgraph.supergraph();
        this.graph = subgraph.subgraph().graphEnum();
        this.variables = variables == null ? Map.of() : variables;
        this.context = context;
        OperationDefinition chosen = null;
        for (var definition : document.getDefinitions()) {
            if (definition instanceof FragmentDefinition fragment) {
                fragments.put(fragment.getName(), fragment);
            } else if (definition instanceof OperationDefinition op
                    && (operationName == null || operationName.equals(op.getName()))) {
                chosen = chosen == null ? op : chosen;
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
        Map<String, List<Field>> fields = collect(root, operation.getSelectionSet(), new LinkedHashMap<>());
        CompletableFuture<Map<String, Object>> data = mutation ? inOrder(root, fields) : object(root, null, fields, List.of());
        return data.thenApply(d -> new SubgraphResponse(d, List.copyOf(errors), 200, context.cacheControl()));
    }

    private CompletableFuture<Map<String, Object>> inOrder(String type, Map<String, List<Field>> fields) {
        Map<String, Object> result = new LinkedHashMap<>();
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (var entry : fields.entrySet()) {
            chain = chain.thenCompose(ignored -> field(type, null, entry.getValue(), List.of(entry.getKey()))
                    .thenAccept(value -> result.put(entry.getKey(), value)));
        }
        return chain.thenApply(ignored -> result);
    }

    private CompletableFuture<Map<String, Object>> object(String type, Map<String, Object> parent,
                                                          Map<String, List<Field>> fields, List<Object> path) {
        List<String> keys = new ArrayList<>(fields.size());
        List<CompletableFuture<Object>> values = new ArrayList<>(fields.size());
        for (var entry : fields.entrySet()) {
            keys.add(entry.getKey());
            values.add(field(type, parent, entry.getValue(), append(path, entry.getKey())));
        }
        return CompletableFuture.allOf(values.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            Map<String, Object> result = LinkedHashMap.newLinkedHashMap(keys.size());
            for (int i = 0; i < keys.size(); i++) {
                result.put(keys.get(i), values.get(i).join());
            }
            return result;
        });
    }

    private CompletableFuture<Object> field(String type, Map<String, Object> parent, List<Field> fields, List<Object> path) {
        Field first = fields.getFirst();
        String name = first.getName();
        if ("__typename".equals(name)) {
            return CompletableFuture.completedFuture(type);
        }
        if (parent == null && "_entities".equals(name)) {
            return new EntityFetch(subgraph, context, this).run(arguments(first).get("representations"), fields);
        }
        TypeMeta typeMeta = supergraph.type(type);
        FieldMeta meta = typeMeta == null ? null : typeMeta.field(name);
        FieldResolver resolver = subgraph.fields().get(type + "." + name);
        if (meta == null || (resolver == null && parent == null)) {
            return nullWithError(path, ConnectorException.of(ConnectorErrorCodes.CONNECTOR_NOT_FOUND,
                    "no connector answers " + type + "." + name));
        }
        if (resolver == null) {
            return complete(meta.namedType(), parent.get(name), fields, path);
        }
        CompletableFuture<Object> called;
        try {
            called = resolver.resolve(new FieldCall(type, name, arguments(first), parent, context)).toCompletableFuture();
        } catch (RuntimeException e) {
            called = CompletableFuture.failedFuture(e);
        }
        return called.handle((value, error) -> error != null ? nullWithError(path, error)
                : complete(meta.namedType(), value, fields, path)).thenCompose(Function.identity());
    }

    /** Shapes a resolved value by the selection: lists element-wise, leaves as they are, objects field by field. */
    CompletableFuture<Object> complete(String namedType, Object value, List<Field> fields, List<Object> path) {
        if (value == null) {
            return CompletableFuture.completedFuture(null);
        }
        if (value instanceof List<?> list) {
            List<CompletableFuture<Object>> items = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                items.add(complete(namedType, list.get(i), fields, append(path, i)));
            }
            return CompletableFuture.allOf(items.toArray(CompletableFuture[]::new))
                    .thenApply(ignored -> items.stream().map(CompletableFuture::join).toList());
        }
        if (fields.getFirst().getSelectionSet() == null) {
            return CompletableFuture.completedFuture(value);
        }
        if (!(value instanceof Map<?, ?> map)) {
            return nullWithError(path, ConnectorException.of(ConnectorErrorCodes.CONNECTOR_RESPONSE_INVALID,
                    "expected an object of type " + namedType));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> object = (Map<String, Object>) map;
        String concrete = concreteType(namedType, object);
        if (concrete == null) {
            return nullWithError(path, ConnectorException.of(ConnectorErrorCodes.CONNECTOR_RESPONSE_INVALID,
                    "the connector's value for abstract type " + namedType + " names no known __typename"));
        }
        Map<String, List<Field>> selected = new LinkedHashMap<>();
        for (Field field : fields) {
            collect(concrete, field.getSelectionSet(), selected);
        }
        return object(concrete, object, selected, path).thenApply(o -> o);
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

    /** Records the error at {@code path} and completes with null. */
    CompletableFuture<Object> nullWithError(List<Object> path, Throwable failure) {
        error(path, failure);
        return CompletableFuture.completedFuture(null);
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

    static List<Object> append(List<Object> path, Object segment) {
        List<Object> longer = new ArrayList<>(path.size() + 1);
        longer.addAll(path);
        longer.add(segment);
        return longer;
    }
}
