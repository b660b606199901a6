package io.atrium.graphql.cost;

import graphql.language.Argument;
import graphql.language.ArrayValue;
import graphql.language.Document;
import graphql.language.Field;
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
import graphql.language.Value;
import graphql.language.VariableReference;
import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLCompositeType;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLNamedType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLTypeUtil;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The static (upper-bound) cost of an operation, as Apollo's demand control estimates it: a mutation starts at 10;
 * each field costs its {@code @cost} weight, else its type's, else 1 for an object, interface or union and 0 for a
 * scalar or enum; a list multiplies its items' cost (the field's weight and its selection) by the largest slicing
 * argument given (or its default), else {@code assumedSize}, else the configured list size; {@code sizedFields} move
 * that size to child fields (connections). Fragments on different types are summed (an upper bound).
 */
public final class CostEstimator {
    private static final long MUTATION_BASE = 10;

    private final GraphQLSchema schema;
    private final CostDirectives directives;
    private final int defaultListSize;

    public CostEstimator(GraphQLSchema schema, CostDirectives directives, int defaultListSize) {
        this.schema = schema;
        this.directives = directives;
        this.defaultListSize = defaultListSize;
    }

    /**
     * An operation's estimated cost and, when a field's {@code @listSize(requireOneSlicingArgument: true)} was not given
     * exactly one of its slicing arguments (counting their defaults, as Apollo's router does), what was wrong with the
     * first such field (else null).
     */
    public record Estimate(long cost, String slicingViolation) {
    }

    /** @param variables the coerced variable values (slicing arguments may be variables) */
    public long estimate(Document document, OperationDefinition operation, Map<String, Object> variables) {
        return estimateChecked(document, operation, variables).cost();
    }

    /** {@link #estimate} with the {@code requireOneSlicingArgument} check of every {@code @listSize} field selected. */
    public Estimate estimateChecked(Document document, OperationDefinition operation, Map<String, Object> variables) {
        Walk walk = new Walk(fragments(document), variables);
        long cost = add(base(operation), walk.selections(operation.getSelectionSet(), root(operation), List.of(), 1));
        return new Estimate(cost, walk.violation);
    }

    private static Map<String, FragmentDefinition> fragments(Document document) {
        Map<String, FragmentDefinition> fragments = new HashMap<>();
        for (var definition : document.getDefinitions()) {
            if (definition instanceof FragmentDefinition fragment) {
                fragments.put(fragment.getName(), fragment);
            }
        }
        return fragments;
    }

    private GraphQLCompositeType root(OperationDefinition operation) {
        return switch (operation.getOperation()) {
            case QUERY -> schema.getQueryType();
            case MUTATION -> schema.getMutationType();
            case SUBSCRIPTION -> schema.getSubscriptionType();
        };
    }

    private static long base(OperationDefinition operation) {
        return operation.getOperation() == OperationDefinition.Operation.MUTATION ? MUTATION_BASE : 0;
    }

    /**
     * The actual cost of a response, as Apollo's demand control measures it: the same weights as the estimate, with
     * each list counted at its actual length (every item with its own selection) instead of its assumed size; a field
     * that is null or absent costs nothing. Fragments apply to the objects whose {@code __typename} matches (all of
     * them when the response has no {@code __typename}).
     *
     * @param data the response's {@code data} (JSON values: maps, lists, scalars), null when there is none
     */
    public long actual(Document document, OperationDefinition operation, Object data) {
        return data instanceof Map<?, ?> object ? add(base(operation), new Actual(fragments(document))
                .object(operation.getSelectionSet(), root(operation), object)) : base(operation);
    }

    /** The walk of {@link #actual}: the operation's selections over the response's objects. */
    private final class Actual {
        private final Map<String, FragmentDefinition> fragments;

        Actual(Map<String, FragmentDefinition> fragments) {
            this.fragments = fragments;
        }

        long object(SelectionSet set, GraphQLCompositeType parent, Map<?, ?> object) {
            long total = 0;
            for (Selection<?> selection : set.getSelections()) {
                long cost = switch (selection) {
                    case Field field -> field(field, parent, object.get(field.getResultKey()));
                    case InlineFragment inline -> inline.getTypeCondition() == null ? object(inline.getSelectionSet(), parent, object)
                            : applies(inline.getTypeCondition().getName(), object)
                            ? object(inline.getSelectionSet(), (GraphQLCompositeType) schema.getType(inline.getTypeCondition().getName()), object) : 0;
                    case FragmentSpread spread -> {
                        FragmentDefinition definition = fragments.get(spread.getName());
                        String on = definition == null ? null : definition.getTypeCondition().getName();
                        yield on == null || !applies(on, object) ? 0
                                : object(definition.getSelectionSet(), (GraphQLCompositeType) schema.getType(on), object);
                    }
                    default -> 0;
                };
                total = add(total, cost);
            }
            return total;
        }

        /** A fragment on {@code type} applies to the object when its {@code __typename} is that type or one of its members. */
        private boolean applies(String type, Map<?, ?> object) {
            if (!(object.get("__typename") instanceof String typename) || typename.equals(type)) {
                return true;
            }
            var condition = schema.getType(type);
            var concrete = schema.getObjectType(typename);
            return concrete != null && condition instanceof graphql.schema.GraphQLCompositeType composite
                    && !(composite instanceof graphql.schema.GraphQLObjectType)
                    && schema.isPossibleType((graphql.schema.GraphQLNamedType) composite, concrete);
        }

        private long field(Field field, GraphQLCompositeType parent, Object value) {
            GraphQLFieldDefinition definition = value == null ? null : definition(field, parent);
            if (definition == null) {
                return 0;
            }
            GraphQLNamedType named = (GraphQLNamedType) GraphQLTypeUtil.unwrapAll(definition.getType());
            return value(field, named, ownWeight(parent, field, named), value);
        }

        /** A value's cost: a list's items each, an object with its selection, a leaf its own weight. */
        private long value(Field field, GraphQLNamedType named, long own, Object value) {
            if (value == null) {
                return 0;
            }
            if (value instanceof List<?> list) {
                long total = 0;
                for (Object item : list) {
                    total = add(total, value(field, named, own, item));
                }
                return total;
            }
            if (value instanceof Map<?, ?> object && field.getSelectionSet() != null && named instanceof GraphQLCompositeType composite) {
                return add(own, object(field.getSelectionSet(), composite, object));
            }
            return own;
        }
    }

    private final class Walk {
        private final Map<String, FragmentDefinition> fragments;
        private final Map<String, Object> variables;
        private String violation;

        Walk(Map<String, FragmentDefinition> fragments, Map<String, Object> variables) {
            this.fragments = fragments;
            this.variables = variables;
        }

        /** @param sizedFields child fields that take {@code sizedSize} as their multiplier */
        long selections(SelectionSet set, GraphQLCompositeType parent, List<String> sizedFields, long sizedSize) {
            long total = 0;
            for (Selection<?> selection : set.getSelections()) {
                long cost = switch (selection) {
                    case Field field -> field(field, parent, sizedFields, sizedSize);
                    case InlineFragment inline -> selections(inline.getSelectionSet(), inline.getTypeCondition() == null
                            ? parent : (GraphQLCompositeType) schema.getType(inline.getTypeCondition().getName()),
                            sizedFields, sizedSize);
                    case FragmentSpread spread -> {
                        FragmentDefinition definition = fragments.get(spread.getName());
                        yield definition == null ? 0 : selections(definition.getSelectionSet(),
                                (GraphQLCompositeType) schema.getType(definition.getTypeCondition().getName()),
                                sizedFields, sizedSize);
                    }
                    default -> 0;
                };
                total = add(total, cost);
            }
            return total;
        }

        private long field(Field field, GraphQLCompositeType parent, List<String> sizedFields, long sizedSize) {
            GraphQLFieldDefinition definition = definition(field, parent);
            if (definition == null) {
                return 0;
            }
            GraphQLNamedType named = (GraphQLNamedType) GraphQLTypeUtil.unwrapAll(definition.getType());
            long own = ownWeight(parent, field, named);
            CostDirectives.ListSize listSize = directives.listSize(parent.getName(), field.getName());
            long size = size(listSize, parent, field, definition);
            boolean sizesChildren = listSize != null && !listSize.sizedFields().isEmpty();
            long children = field.getSelectionSet() == null || !(named instanceof GraphQLCompositeType composite) ? 0
                    : selections(field.getSelectionSet(), composite, sizesChildren ? listSize.sizedFields() : List.of(),
                            size);
            long multiplier = sizedFields.contains(field.getName()) ? sizedSize
                    : !sizesChildren && GraphQLTypeUtil.isList(GraphQLTypeUtil.unwrapNonNull(definition.getType())) ? size : 1;
            return add(multiply(multiplier, add(own, children)), arguments(parent, field, definition));
        }

        /**
         * What the field's arguments cost, once per call (not per list item), never below 0: an argument's
         * {@code @cost}, an input object 1 (or its {@code @cost}) plus its fields', a list its items' (as Apollo's
         * router scores them); a variable is scored by its value, an absent or null one costs nothing.
         */
        private long arguments(GraphQLCompositeType parent, Field field, GraphQLFieldDefinition definition) {
            if (field.getArguments().isEmpty()) {
                return 0;
            }
            long total = 0;
            for (Argument argument : field.getArguments()) {
                GraphQLArgument declared = definition.getArgument(argument.getName());
                if (declared != null) {
                    total += literalCost(argument.getValue(), directives.argumentWeight(parent.getName(),
                            field.getName(), argument.getName()), GraphQLTypeUtil.unwrapAll(declared.getType()));
                }
            }
            return Math.max(0, total);
        }

        private long literalCost(Value<?> value, Integer weight, GraphQLNamedType type) {
            return switch (value) {
                case VariableReference ref -> jsonCost(variables.get(ref.getName()), weight, type);
                case NullValue ignored -> 0;
                case ArrayValue list -> {
                    long total = weight == null ? 0 : weight;
                    for (Value<?> item : list.getValues()) {
                        total += (literalCost(item, weight, type));
                    }
                    yield total;
                }
                case ObjectValue object when type instanceof GraphQLInputObjectType input -> {
                    long total = weight == null ? 1 : weight;
                    for (ObjectField member : object.getObjectFields()) {
                        var declared = input.getField(member.getName());
                        if (declared != null) {
                            total += (literalCost(member.getValue(), directives.inputFieldWeight(
                                    input.getName(), member.getName()), GraphQLTypeUtil.unwrapAll(declared.getType())));
                        }
                    }
                    yield total;
                }
                default -> weight == null ? 0 : weight;
            };
        }

        private long jsonCost(Object value, Integer weight, GraphQLNamedType type) {
            return switch (value) {
                case null -> 0;
                case List<?> list -> {
                    long total = weight == null ? 0 : weight;
                    for (Object item : list) {
                        total += (jsonCost(item, weight, type));
                    }
                    yield total;
                }
                case Map<?, ?> object when type instanceof GraphQLInputObjectType input -> {
                    long total = weight == null ? 1 : weight;
                    for (Map.Entry<?, ?> member : object.entrySet()) {
                        var declared = input.getField(String.valueOf(member.getKey()));
                        if (declared != null) {
                            total += (jsonCost(member.getValue(), directives.inputFieldWeight(
                                    input.getName(), declared.getName()), GraphQLTypeUtil.unwrapAll(declared.getType())));
                        }
                    }
                    yield total;
                }
                default -> weight == null ? 0 : weight;
            };
        }

        /**
         * The largest slicing argument given (or defaulted; a list argument counts its items, {@code input.first}
         * reads an input object's field), else assumedSize, else the configured list size. Notes the first field
         * that requires exactly one slicing argument and has none or several.
         */
        private long size(CostDirectives.ListSize listSize, GraphQLCompositeType parent, Field field,
                          GraphQLFieldDefinition definition) {
            if (listSize == null) {
                return defaultListSize;
            }
            long largest = -1;
            List<String> given = new java.util.ArrayList<>(1);
            for (String path : listSize.slicingArguments()) {
                Long value = slicingValue(field, definition, path);
                if (value != null) {
                    given.add(path);
                    largest = Math.max(largest, value);
                }
            }
            if (violation == null && listSize.requireOneSlicingArgument() && !listSize.slicingArguments().isEmpty()
                    && given.size() != 1) {
                violation = "exactly one of the slicing arguments " + listSize.slicingArguments() + " of "
                        + parent.getName() + "." + field.getName() + " must be given; "
                        + (given.isEmpty() ? "none was" : given.size() + " were: " + String.join(", ", given));
            }
            if (largest >= 0) {
                return largest;
            }
            return listSize.assumedSize() != null ? listSize.assumedSize() : defaultListSize;
        }

        /** A slicing argument's size: given in the operation (literal or variable), else its declared default. */
        private Long slicingValue(Field field, GraphQLFieldDefinition definition, String path) {
            int dot = path.indexOf('.');
            String name = dot < 0 ? path : path.substring(0, dot);
            String[] rest = dot < 0 ? new String[0] : path.substring(dot + 1).split("\\.");
            for (Argument argument : field.getArguments()) {
                if (argument.getName().equals(name)) {
                    return literalSize(argument.getValue(), rest, 0);
                }
            }
            GraphQLArgument declared = definition.getArgument(name);
            if (declared == null || !declared.hasSetDefaultValue()) {
                return null;
            }
            Object value = declared.getArgumentDefaultValue().getValue();
            return value instanceof Value<?> literal ? literalSize(literal, rest, 0) : jsonSize(value, rest, 0);
        }

        private Long literalSize(Value<?> value, String[] path, int at) {
            if (value instanceof VariableReference ref) {
                return jsonSize(variables.get(ref.getName()), path, at);
            }
            if (at < path.length) {
                if (value instanceof ObjectValue object) {
                    for (ObjectField member : object.getObjectFields()) {
                        if (member.getName().equals(path[at])) {
                            return literalSize(member.getValue(), path, at + 1);
                        }
                    }
                }
                return null;
            }
            return switch (value) {
                case IntValue i -> i.getValue().longValue();
                case ArrayValue list -> (long) list.getValues().size();
                default -> null;
            };
        }

        private static Long jsonSize(Object value, String[] path, int at) {
            if (at < path.length) {
                return value instanceof Map<?, ?> object ? jsonSize(object.get(path[at]), path, at + 1) : null;
            }
            return switch (value) {
                case Integer i -> (long) i;
                case Long l -> l;
                case java.math.BigInteger b -> b.longValue();
                case Number n when n.doubleValue() == Math.rint(n.doubleValue()) -> n.longValue();
                case List<?> list -> (long) list.size();
                case null, default -> null;
            };
        }
    }

    /** The field's definition, or null for introspection fields and fields the schema does not have. */
    private static GraphQLFieldDefinition definition(Field field, GraphQLCompositeType parent) {
        if (field.getName().startsWith("__") || !(parent instanceof GraphQLFieldsContainer container)) {
            return null;
        }
        return container.getFieldDefinition(field.getName());
    }

    /** The field's {@code @cost}, else its type's, else 1 for an object, interface or union and 0 for a leaf. */
    private long ownWeight(GraphQLCompositeType parent, Field field, GraphQLNamedType named) {
        Integer weight = directives.fieldWeight(parent.getName(), field.getName());
        if (weight == null) {
            weight = directives.typeWeight(named.getName());
        }
        return weight != null ? Math.max(0, weight) : named instanceof GraphQLCompositeType ? 1 : 0;
    }

    private static long add(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }

    private static long multiply(long a, long b) {
        return a != 0 && b > Long.MAX_VALUE / a ? Long.MAX_VALUE : a * b;
    }
}
