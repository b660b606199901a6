package io.atrium.graphql.cost;

import graphql.language.Argument;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.IntValue;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.VariableReference;
import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLCompositeType;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
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

    /** @param variables the coerced variable values (slicing arguments may be variables) */
    public long estimate(Document document, OperationDefinition operation, Map<String, Object> variables) {
        return add(base(operation), new Walk(fragments(document), variables)
                .selections(operation.getSelectionSet(), root(operation), List.of(), 1));
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
            long size = size(listSize, field, definition);
            boolean sizesChildren = listSize != null && !listSize.sizedFields().isEmpty();
            long children = field.getSelectionSet() == null || !(named instanceof GraphQLCompositeType composite) ? 0
                    : selections(field.getSelectionSet(), composite, sizesChildren ? listSize.sizedFields() : List.of(),
                            size);
            long multiplier = sizedFields.contains(field.getName()) ? sizedSize
                    : !sizesChildren && GraphQLTypeUtil.isList(GraphQLTypeUtil.unwrapNonNull(definition.getType())) ? size : 1;
            return multiply(multiplier, add(own, children));
        }

        /** The largest slicing argument given (or defaulted), else assumedSize, else the configured list size. */
        private long size(CostDirectives.ListSize listSize, Field field, GraphQLFieldDefinition definition) {
            if (listSize == null) {
                return defaultListSize;
            }
            long largest = -1;
            for (String name : listSize.slicingArguments()) {
                Long value = intArgument(field, definition, name);
                if (value != null) {
                    largest = Math.max(largest, value);
                }
            }
            if (largest >= 0) {
                return largest;
            }
            return listSize.assumedSize() != null ? listSize.assumedSize() : defaultListSize;
        }

        private Long intArgument(Field field, GraphQLFieldDefinition definition, String name) {
            for (Argument argument : field.getArguments()) {
                if (argument.getName().equals(name)) {
                    if (argument.getValue() instanceof IntValue i) {
                        return i.getValue().longValue();
                    }
                    if (argument.getValue() instanceof VariableReference ref && variables.get(ref.getName()) instanceof Number n) {
                        return n.longValue();
                    }
                    return null;
                }
            }
            GraphQLArgument declared = definition.getArgument(name);
            if (declared != null && declared.hasSetDefaultValue()
                    && declared.getArgumentDefaultValue().getValue() instanceof IntValue i) {
                return i.getValue().longValue();
            }
            if (declared != null && declared.hasSetDefaultValue()
                    && declared.getArgumentDefaultValue().getValue() instanceof Number n) {
                return n.longValue();
            }
            return null;
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
