package io.atrium.router.plan;

import java.util.List;

/** An immutable selection of a subgraph operation (or of an entity representation). */
public sealed interface SelectionItem {

    /**
     * @param alias      the alias, or null
     * @param arguments  the printed argument list including parentheses, or ""
     * @param directives the printed directives with a leading space, or ""
     * @param selections sub-selections, or null for a leaf
     */
    record Field(String alias, String name, String arguments, String directives, List<SelectionItem> selections)
            implements SelectionItem {
        public Field {
            selections = selections == null ? null : List.copyOf(selections);
        }

        public String responseKey() {
            return alias != null ? alias : name;
        }
    }

    /** An inline fragment; {@code typeCondition} is null for a fragment without one. */
    record InlineFragment(String typeCondition, String directives, List<SelectionItem> selections)
            implements SelectionItem {
        public InlineFragment {
            selections = List.copyOf(selections);
        }
    }

    static void printCompact(List<SelectionItem> items, StringBuilder out) {
        out.append('{');
        boolean first = true;
        for (SelectionItem item : items) {
            if (!first) {
                out.append(' ');
            }
            first = false;
            switch (item) {
                case Field f -> {
                    if (f.alias() != null) {
                        out.append(f.alias()).append(": ");
                    }
                    out.append(f.name()).append(f.arguments()).append(f.directives());
                    if (f.selections() != null) {
                        out.append(' ');
                        printCompact(f.selections(), out);
                    }
                }
                case InlineFragment fragment -> {
                    out.append("...");
                    if (fragment.typeCondition() != null) {
                        out.append(" on ").append(fragment.typeCondition());
                    }
                    out.append(fragment.directives()).append(' ');
                    printCompact(fragment.selections(), out);
                }
            }
        }
        out.append('}');
    }

    static void printPretty(List<SelectionItem> items, String indent, StringBuilder out) {
        out.append("{\n");
        String inner = indent + "  ";
        for (SelectionItem item : items) {
            out.append(inner);
            switch (item) {
                case Field f -> {
                    if (f.alias() != null) {
                        out.append(f.alias()).append(": ");
                    }
                    out.append(f.name()).append(f.arguments()).append(f.directives());
                    if (f.selections() != null) {
                        out.append(' ');
                        printPretty(f.selections(), inner, out);
                    }
                }
                case InlineFragment fragment -> {
                    out.append("...");
                    if (fragment.typeCondition() != null) {
                        out.append(" on ").append(fragment.typeCondition());
                    }
                    out.append(fragment.directives()).append(' ');
                    printPretty(fragment.selections(), inner, out);
                }
            }
            out.append('\n');
        }
        out.append(indent).append('}');
    }
}
