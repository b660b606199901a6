package io.atrium.router.compose.internal;

import graphql.language.Document;
import graphql.language.Field;
import graphql.language.InlineFragment;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.parser.InvalidSyntaxException;
import graphql.parser.Parser;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed {@code FieldSet} ({@code @key}, {@code @requires}, {@code @provides}, context selections): fields,
 * nested selections and inline fragments. Printed the way Apollo prints them ({@code a b { c }}).
 */
public record FieldSet(List<Sel> selections) {

    /** One selection: a field ({@code typeCondition} null) or an inline fragment ({@code name} null). */
    public record Sel(String name, boolean hasArguments, boolean hasDirectives, String typeCondition, FieldSet sub,
                      String alias) {
        public boolean isFragment() {
            return name == null;
        }
    }

    /** Parses {@code fields}; throws {@link IllegalArgumentException} when it is not a selection set. */
    public static FieldSet parse(String fields) {
        Document doc;
        try {
            doc = Parser.parse("{" + fields + "}");
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (doc.getDefinitions().size() != 1 || !(doc.getDefinitions().getFirst() instanceof OperationDefinition op)) {
            throw new IllegalArgumentException("not a selection set");
        }
        return of(op.getSelectionSet());
    }

    private static FieldSet of(SelectionSet set) {
        List<Sel> sels = new ArrayList<>();
        for (Selection<?> selection : set.getSelections()) {
            switch (selection) {
                case Field f -> sels.add(new Sel(f.getName(), !f.getArguments().isEmpty(), !f.getDirectives().isEmpty(),
                        null, f.getSelectionSet() == null ? null : of(f.getSelectionSet()), f.getAlias()));
                case InlineFragment i -> sels.add(new Sel(null, false, !i.getDirectives().isEmpty(),
                        i.getTypeCondition() == null ? null : i.getTypeCondition().getName(), of(i.getSelectionSet()),
                        null));
                default -> throw new IllegalArgumentException("named fragments are not allowed in a field set");
            }
        }
        return new FieldSet(List.copyOf(sels));
    }

    /** Apollo's form: single spaces, {@code { }} around nested selections. */
    public String print() {
        StringBuilder out = new StringBuilder();
        print(out);
        return out.toString();
    }

    private void print(StringBuilder out) {
        boolean first = true;
        for (Sel sel : selections) {
            if (!first) {
                out.append(' ');
            }
            first = false;
            if (sel.isFragment()) {
                out.append("...");
                if (sel.typeCondition() != null) {
                    out.append(" on ").append(sel.typeCondition());
                }
            } else {
                out.append(sel.name());
            }
            if (sel.sub() != null && !sel.sub().selections().isEmpty()) {
                out.append(" { ");
                sel.sub().print(out);
                out.append(" }");
            }
        }
    }
}
