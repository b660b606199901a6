package io.atrium.graphql.authz;

import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.schema.GraphQLCompositeType;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLOutputType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;
import io.atrium.policy.Identity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One walk over a validated operation with the caller's identity: every field whose coordinate or return type the
 * caller may not see is removed (fragments are inlined on the way, so a fragment spread in several places is
 * filtered per place); a field whose whole selection was removed goes too. Only called when the schema has
 * authorization directives.
 */
final class OperationAuthorizer {
    private final GraphQLSchema schema;
    private final Requirements requirements;
    private final PolicyRules policies;
    private final Identity identity;
    private final Map<String, FragmentDefinition> fragments = new HashMap<>();
    private final Map<List<String>, Removal> removals = new LinkedHashMap<>();

    private OperationAuthorizer(GraphQLSchema schema, Requirements requirements, PolicyRules policies, Identity identity,
                                Document document) {
        this.schema = schema;
        this.requirements = requirements;
        this.policies = policies;
        this.identity = identity;
        for (var definition : document.getDefinitions()) {
            if (definition instanceof FragmentDefinition fragment) {
                fragments.put(fragment.getName(), fragment);
            }
        }
    }

    /** The filtered operation (null when nothing was removed) and the removals. */
    record Walk(OperationDefinition operation, List<Removal> removals) {
    }

    static Walk walk(GraphQLSchema schema, Requirements requirements, PolicyRules policies, Identity identity,
                     Document document, OperationDefinition operation) {
        OperationAuthorizer authorizer = new OperationAuthorizer(schema, requirements, policies, identity, document);
        GraphQLCompositeType root = switch (operation.getOperation()) {
            case QUERY -> schema.getQueryType();
            case MUTATION -> schema.getMutationType();
            case SUBSCRIPTION -> schema.getSubscriptionType();
        };
        SelectionSet filtered = authorizer.filter(operation.getSelectionSet(), root, List.of(), List.of());
        if (authorizer.removals.isEmpty()) {
            return new Walk(null, List.of());
        }
        OperationDefinition copy = operation.transform(b -> b.selectionSet(filtered));
        return new Walk(copy, List.copyOf(authorizer.removals.values()));
    }

    private SelectionSet filter(SelectionSet set, GraphQLCompositeType parent, List<String> path,
                                List<GraphQLOutputType> ancestors) {
        List<Selection> kept = new ArrayList<>();
        for (Selection<?> selection : set.getSelections()) {
            switch (selection) {
                case Field field -> {
                    Field out = field(field, parent, path, ancestors);
                    if (out != null) {
                        kept.add(out);
                    }
                }
                case InlineFragment inline -> {
                    GraphQLCompositeType type = inline.getTypeCondition() == null ? parent
                            : (GraphQLCompositeType) schema.getType(inline.getTypeCondition().getName());
                    SelectionSet child = filter(inline.getSelectionSet(), type, path, ancestors);
                    if (!child.getSelections().isEmpty()) {
                        kept.add(inline.transform(b -> b.selectionSet(child)));
                    }
                }
                case FragmentSpread spread -> {
                    FragmentDefinition definition = fragments.get(spread.getName());
                    if (definition == null) {
                        continue;
                    }
                    GraphQLCompositeType type = (GraphQLCompositeType) schema.getType(definition.getTypeCondition().getName());
                    SelectionSet child = filter(definition.getSelectionSet(), type, path, ancestors);
                    if (!child.getSelections().isEmpty()) {
                        kept.add(InlineFragment.newInlineFragment().typeCondition(definition.getTypeCondition())
                                .directives(spread.getDirectives()).selectionSet(child).build());
                    }
                }
                default -> kept.add(selection);
            }
        }
        return SelectionSet.newSelectionSet(kept).build();
    }

    private Field field(Field field, GraphQLCompositeType parent, List<String> path, List<GraphQLOutputType> ancestors) {
        if (field.getName().startsWith("__") || !(parent instanceof GraphQLFieldsContainer container)) {
            return field;
        }
        GraphQLFieldDefinition definition = container.getFieldDefinition(field.getName());
        if (definition == null) {
            return field;
        }
        List<String> at = append(path, field.getResultKey());
        GraphQLType named = GraphQLTypeUtil.unwrapAll(definition.getType());
        Requirement requirement = requirements.field(parent.getName(), field.getName())
                .and(requirements.type(((graphql.schema.GraphQLNamedType) named).getName()));
        if (!requirement.allows(identity, policies)) {
            remove(at, definition.getType(), ancestors, true);
            return null;
        }
        if (field.getSelectionSet() == null || !(named instanceof GraphQLCompositeType composite)) {
            return field;
        }
        List<GraphQLOutputType> inside = new ArrayList<>(ancestors);
        inside.add(definition.getType());
        SelectionSet child = filter(field.getSelectionSet(), composite, at, inside);
        if (child.getSelections().isEmpty()) {
            remove(at, definition.getType(), ancestors, false);
            return null;
        }
        return child.getSelections().size() == field.getSelectionSet().getSelections().size()
                && removalsUnder(at) == 0 ? field : field.transform(b -> b.selectionSet(child));
    }

    private long removalsUnder(List<String> at) {
        return removals.keySet().stream().filter(p -> p.size() > at.size() && p.subList(0, at.size()).equals(at)).count();
    }

    /** Records a removal and where its null lands: up through non-null fields to the nearest nullable value. */
    private void remove(List<String> path, GraphQLOutputType type, List<GraphQLOutputType> ancestors, boolean reported) {
        List<String> keys = path;
        GraphQLOutputType current = type;
        int depth = ancestors.size();
        boolean items = false;
        while (current instanceof GraphQLNonNull) {
            if (depth == 0) {
                keys = List.of();
                break;
            }
            GraphQLOutputType parentType = ancestors.get(depth - 1);
            keys = keys.subList(0, keys.size() - 1);
            if (GraphQLTypeUtil.unwrapNonNull(parentType) instanceof GraphQLList && !innermostItemIsNonNull(parentType)) {
                items = true;
                break;
            }
            current = parentType;
            depth--;
        }
        Removal removal = new Removal(path, keys, items, reported);
        removals.merge(path, removal, (old, added) -> old.reported() ? old : added);
    }

    private static boolean innermostItemIsNonNull(GraphQLType type) {
        GraphQLType current = GraphQLTypeUtil.unwrapNonNull(type);
        while (current instanceof GraphQLList list) {
            GraphQLType item = list.getWrappedType();
            if (!(GraphQLTypeUtil.unwrapNonNull(item) instanceof GraphQLList)) {
                return item instanceof GraphQLNonNull;
            }
            current = GraphQLTypeUtil.unwrapNonNull(item);
        }
        return false;
    }

    private static List<String> append(List<String> path, String key) {
        List<String> out = new ArrayList<>(path.size() + 1);
        out.addAll(path);
        out.add(key);
        return List.copyOf(out);
    }
}
