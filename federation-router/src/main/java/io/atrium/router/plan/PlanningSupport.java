package io.atrium.router.plan;

import graphql.language.Argument;
import graphql.language.AstPrinter;
import graphql.language.Directive;
import graphql.language.Field;
import graphql.language.InlineFragment;
import graphql.language.Node;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.VariableReference;
import io.atrium.router.supergraph.FieldInGraph;
import io.atrium.router.supergraph.FieldMeta;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Stateless helpers of the planner: selections, {@code @provides} lookups, printing, the fetch dependency tree. */
final class PlanningSupport {
    private PlanningSupport() {
    }

    /** The dependency that runs last: every other one is its ancestor (deepest wins otherwise). */
    static FetchGroup latest(Set<FetchGroup> dependencies) {
        FetchGroup latest = null;
        int depth = -1;
        for (FetchGroup group : dependencies) {
            int d = depth(group);
            if (d > depth) {
                latest = group;
                depth = d;
            }
        }
        return latest;
    }

    static int depth(FetchGroup group) {
        int depth = 0;
        for (FetchGroup g = group.parent; g != null; g = g.parent) {
            depth++;
        }
        return depth;
    }

    static boolean isAncestorOrSelf(FetchGroup ancestor, FetchGroup group) {
        for (FetchGroup g = group; g != null; g = g.parent) {
            if (g == ancestor) {
                return true;
            }
        }
        return false;
    }

    static void addPlain(SelNode node, SelectionSet set) {
        for (Selection<?> selection : set.getSelections()) {
            if (selection instanceof Field field) {
                // an alias in a representation selection names where the value is read in the response tree
                if (field.getSelectionSet() == null) {
                    node.leaf(field.getAlias(), field.getName(), "", "");
                } else {
                    addPlain(node.composite(field.getAlias(), field.getName(), "", ""), field.getSelectionSet());
                }
            } else if (selection instanceof InlineFragment inline && inline.getTypeCondition() != null) {
                addPlain(node.fragment(inline.getTypeCondition().getName(), ""), inline.getSelectionSet());
            }
        }
    }

    /**
     * The {@code @requires} selection of a field in its subgraph (or null), with every field that takes arguments
     * aliased ({@code name__requires_<hash of the arguments>}): the router fetches it under that alias, so a client
     * field of the same name with other arguments is never merged with it, and reads it from there for the
     * representation.
     */
    static SelectionSet requiresSelection(FieldInGraph in) {
        return in == null || in.requires() == null ? null : aliasFieldsWithArguments(in.requires());
    }

    private static SelectionSet aliasFieldsWithArguments(SelectionSet set) {
        List<Selection> out = new ArrayList<>();
        for (Selection<?> selection : set.getSelections()) {
            switch (selection) {
                case Field field -> {
                    SelectionSet sub = field.getSelectionSet() == null ? null : aliasFieldsWithArguments(field.getSelectionSet());
                    String alias = field.getArguments().isEmpty() ? field.getAlias() : field.getName() + "__requires_"
                            + Integer.toHexString(AstPrinter.printAst(field.transform(b -> b.selectionSet(null)
                                    .alias(null).directives(List.of()))).hashCode());
                    out.add(field.transform(b -> b.alias(alias).selectionSet(sub)));
                }
                case InlineFragment inline -> out.add(inline.transform(b -> b.selectionSet(
                        aliasFieldsWithArguments(inline.getSelectionSet()))));
                default -> out.add(selection);
            }
        }
        return SelectionSet.newSelectionSet(out).build();
    }

    static int listDepth(graphql.language.Type<?> type) {
        return switch (type) {
            case graphql.language.NonNullType nn -> listDepth(nn.getType());
            case graphql.language.ListType list -> 1 + listDepth(list.getType());
            default -> 0;
        };
    }

    static Field providedField(SelectionSet provided, String name) {
        if (provided == null) {
            return null;
        }
        for (Selection<?> selection : provided.getSelections()) {
            if (selection instanceof Field field && field.getName().equals(name)) {
                return field;
            }
            if (selection instanceof InlineFragment inline) {
                Field inner = providedField(inline.getSelectionSet(), name);
                if (inner != null) {
                    return inner;
                }
            }
        }
        return null;
    }

    static SelectionSet subProvided(Field providedField) {
        return providedField == null ? null : providedField.getSelectionSet();
    }

    static List<Directive> conditionalDirectives(List<Directive> directives) {
        if (directives.isEmpty()) {
            return directives;
        }
        List<Directive> kept = new ArrayList<>();
        for (Directive directive : directives) {
            if (directive.getName().equals("skip") || directive.getName().equals("include")) {
                kept.add(directive);
            }
        }
        return kept;
    }

    static String printDirectives(List<Directive> directives, FetchGroup group) {
        if (directives.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (Directive directive : directives) {
            collectVariables(directive, group);
            out.append(' ').append(AstPrinter.printAst(directive));
        }
        return out.toString();
    }

    static String printArguments(List<Argument> arguments, FetchGroup group) {
        if (arguments.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder("(");
        for (int i = 0; i < arguments.size(); i++) {
            if (i > 0) {
                out.append(", ");
            }
            collectVariables(arguments.get(i), group);
            out.append(AstPrinter.printAst(arguments.get(i)));
        }
        return out.append(')').toString();
    }

    static void collectVariables(Node<?> node, FetchGroup group) {
        if (node instanceof VariableReference ref) {
            group.variables.add(ref.getName());
            return;
        }
        for (Node<?> child : node.getChildren()) {
            collectVariables(child, group);
        }
    }

    static SelectionSet childProvided(String graph, FieldMeta meta, Field field, SelectionSet provided) {
        FieldInGraph in = meta.graphs().get(graph);
        return in != null && in.provides() != null ? in.provides() : subProvided(providedField(provided, field.getName()));
    }
}
