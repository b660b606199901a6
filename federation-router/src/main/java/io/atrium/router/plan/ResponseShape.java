package io.atrium.router.plan;

import java.util.List;

/**
 * The client's operation compiled once per plan: what the response must contain, in the client's order,
 * with each field's type (for null propagation) and its {@code @skip}/{@code @include} conditions.
 */
public record ResponseShape(String rootType, List<Selection> selections) {

    public ResponseShape {
        selections = List.copyOf(selections);
    }

    public sealed interface Selection {
        List<Condition> conditions();
    }

    /**
     * @param dataKey       the field's key in the merged subgraph data (see {@code Supergraph.dataKey})
     * @param introspection true for {@code __schema}/{@code __type} root fields answered from the API schema
     */
    public record Field(String responseKey, String dataKey, String fieldName, TypeRef type, List<Selection> selections,
                        List<Condition> conditions, boolean introspection) implements Selection {
        public Field {
            selections = selections == null ? null : List.copyOf(selections);
            conditions = List.copyOf(conditions);
        }
    }

    /** A fragment (inline or spread); {@code typeCondition} is null when it applies to every type. */
    public record Fragment(String typeCondition, List<Selection> selections, List<Condition> conditions)
            implements Selection {
        public Fragment {
            selections = List.copyOf(selections);
            conditions = List.copyOf(conditions);
        }
    }

    /**
     * {@code @include(if:)} (include = true) or {@code @skip(if:)} (include = false) with a variable or a literal.
     */
    public record Condition(boolean include, String variable, boolean literal) {
        public boolean passes(java.util.Map<String, Object> variables) {
            boolean value = variable == null ? literal : Boolean.TRUE.equals(variables.get(variable));
            return include == value;
        }
    }

    public sealed interface TypeRef {
    }

    public record NonNull(TypeRef inner) implements TypeRef {
    }

    public record ListOf(TypeRef inner) implements TypeRef {
    }

    /**
     * A named type; {@code objectType} is set when it is an object type (its __typename is known statically).
     * {@code enumValues}: for enum types the values the API schema has (a subgraph value outside it, e.g. an
     * {@code @inaccessible} one, must not reach the client), else null.
     */
    public record Named(String name, boolean composite, boolean objectType, java.util.Set<String> enumValues)
            implements TypeRef {
        public Named {
            enumValues = enumValues == null ? null : java.util.Set.copyOf(enumValues);
        }

        public Named(String name, boolean composite, boolean objectType) {
            this(name, composite, objectType, null);
        }
    }
}
