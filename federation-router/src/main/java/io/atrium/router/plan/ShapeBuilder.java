package io.atrium.router.plan;

import graphql.language.BooleanValue;
import graphql.language.Directive;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.ListType;
import graphql.language.NonNullType;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.Type;
import graphql.language.TypeName;
import graphql.language.VariableReference;
import io.atrium.router.supergraph.FieldMeta;
import io.atrium.router.supergraph.Supergraph;
import io.atrium.router.supergraph.TypeKind;
import io.atrium.router.supergraph.TypeMeta;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Compiles a client operation into a {@link ResponseShape}. */
final class ShapeBuilder {
    private static final ResponseShape.TypeRef TYPENAME =
            new ResponseShape.NonNull(new ResponseShape.Named("String", false, false));
    private static final ResponseShape.TypeRef INTROSPECTION = new ResponseShape.Named("__Introspection", false, false);

    private final Supergraph supergraph;
    private final Map<String, FragmentDefinition> fragments;

    ShapeBuilder(Supergraph supergraph, Map<String, FragmentDefinition> fragments) {
        this.supergraph = supergraph;
        this.fragments = fragments;
    }

    ResponseShape build(String rootType, SelectionSet selectionSet) {
        return new ResponseShape(rootType, selections(rootType, selectionSet, true));
    }

    private List<ResponseShape.Selection> selections(String parentType, SelectionSet set, boolean root) {
        List<ResponseShape.Selection> result = new ArrayList<>();
        for (Selection<?> selection : set.getSelections()) {
            switch (selection) {
                case Field field -> result.add(field(parentType, field, root));
                case InlineFragment inline -> {
                    String condition = inline.getTypeCondition() == null ? null : inline.getTypeCondition().getName();
                    String inner = condition == null ? parentType : condition;
                    result.add(new ResponseShape.Fragment(condition,
                            selections(inner, inline.getSelectionSet(), root), conditions(inline.getDirectives())));
                }
                case FragmentSpread spread -> {
                    FragmentDefinition definition = fragments.get(spread.getName());
                    if (definition == null) {
                        throw new PlanningException("unknown fragment " + spread.getName());
                    }
                    String condition = definition.getTypeCondition().getName();
                    result.add(new ResponseShape.Fragment(condition,
                            selections(condition, definition.getSelectionSet(), root),
                            conditions(spread.getDirectives())));
                }
                default -> throw new PlanningException("unsupported selection " + selection);
            }
        }
        return result;
    }

    private ResponseShape.Field field(String parentType, Field field, boolean root) {
        String key = field.getAlias() != null ? field.getAlias() : field.getName();
        String dataKey = supergraph.dataKey(field.getAlias(), field.getName());
        List<ResponseShape.Condition> conditions = conditions(field.getDirectives());
        if (field.getName().equals("__typename")) {
            return new ResponseShape.Field(key, dataKey, "__typename", TYPENAME, null, conditions, false);
        }
        if (root && (field.getName().equals("__schema") || field.getName().equals("__type"))) {
            return new ResponseShape.Field(key, key, field.getName(), INTROSPECTION, null, conditions, true);
        }
        TypeMeta parent = supergraph.type(parentType);
        FieldMeta meta = parent == null ? null : parent.field(field.getName());
        if (meta == null) {
            throw new PlanningException("unknown field " + parentType + "." + field.getName());
        }
        TypeMeta fieldType = supergraph.type(meta.namedType());
        boolean composite = fieldType != null && fieldType.kind().isComposite();
        List<ResponseShape.Selection> sub = composite && field.getSelectionSet() != null
                ? selections(meta.namedType(), field.getSelectionSet(), false)
                : null;
        return new ResponseShape.Field(key, dataKey, field.getName(), typeRef(meta.type()), sub, conditions, false);
    }

    private ResponseShape.TypeRef typeRef(Type<?> type) {
        return switch (type) {
            case NonNullType nn -> new ResponseShape.NonNull(typeRef(nn.getType()));
            case ListType list -> new ResponseShape.ListOf(typeRef(list.getType()));
            case TypeName name -> {
                TypeMeta meta = supergraph.type(name.getName());
                boolean composite = meta != null && meta.kind().isComposite();
                java.util.Set<String> enumValues = null;
                if (supergraph.apiSchema().getType(name.getName()) instanceof graphql.schema.GraphQLEnumType enumType) {
                    enumValues = new java.util.HashSet<>();
                    for (var value : enumType.getValues()) {
                        enumValues.add(value.getName());
                    }
                }
                yield new ResponseShape.Named(name.getName(), composite, meta != null && meta.kind() == TypeKind.OBJECT,
                        enumValues);
            }
            default -> throw new PlanningException("unsupported type " + type);
        };
    }

    static List<ResponseShape.Condition> conditions(List<Directive> directives) {
        List<ResponseShape.Condition> result = new ArrayList<>();
        for (Directive directive : directives) {
            boolean include = directive.getName().equals("include");
            if (!include && !directive.getName().equals("skip")) {
                continue;
            }
            var argument = directive.getArgument("if");
            if (argument == null) {
                continue;
            }
            if (argument.getValue() instanceof VariableReference ref) {
                result.add(new ResponseShape.Condition(include, ref.getName(), false));
            } else if (argument.getValue() instanceof BooleanValue b) {
                result.add(new ResponseShape.Condition(include, null, b.isValue()));
            }
        }
        return result;
    }
}
