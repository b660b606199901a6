package io.atrium.router.connector.rest.selection;

import java.util.List;
import java.util.Map;

/** The parsed form of a JSONSelection (Apollo Connectors' mapping language); immutable, built once per connector. */
final class Ast {
    private Ast() {
    }

    /**
     * {@code { NamedSelection* }} (or the top level of a selection).
     *
     * @param byKey each output key's entry, when every entry is one key (a field, a group or an aliased path, no two
     *              with the same key, no spread): such a sub-selection's output can be read key by key
     *              ({@link SelectionView}); else null
     */
    record SubSelection(List<Named> selections, Map<String, Named> byKey) {
        SubSelection(List<Named> selections) {
            this(List.copyOf(selections), keyed(selections));
        }

        private static Map<String, Named> keyed(List<Named> selections) {
            Map<String, Named> byKey = new java.util.HashMap<>();
            for (Named named : selections) {
                String key = switch (named) {
                    case Field field -> field.alias() != null ? field.alias() : field.key();
                    case AliasedPath aliased -> aliased.alias();
                    case Group group -> group.alias();
                    case Spread ignored -> null;
                };
                if (key == null || byKey.putIfAbsent(key, named) != null) {
                    return null;
                }
            }
            return Map.copyOf(byKey);
        }
    }

    /** One entry of a sub-selection; each adds keys to the output object. */
    sealed interface Named permits Field, AliasedPath, Group, Spread {
    }

    /** {@code key} or {@code alias: key}, with an optional sub-selection: output[alias ?? key] = input[key]. */
    record Field(String alias, String key, SubSelection sub) implements Named {
    }

    /** {@code alias: path {…}?}: output[alias] = the path's value. */
    record AliasedPath(String alias, PathSelection path) implements Named {
    }

    /** {@code alias: { … }}: output[alias] = the sub-selection applied to the current value. */
    record Group(String alias, SubSelection sub) implements Named {
    }

    /** {@code ...path {…}} or a multi-step {@code path { … }}: the path's object keys are merged into the output. */
    record Spread(PathSelection path) implements Named {
    }

    /** A path and an optional sub-selection applied to its value. */
    record PathSelection(Path path, SubSelection sub) implements Expr {
    }

    /** A head and its steps. */
    record Path(Head head, List<Step> steps) {
        Path {
            steps = List.copyOf(steps);
        }
    }

    sealed interface Head permits VarHead, KeyHead, AtHead, ExprHead, LitHead {
    }

    /** {@code $} (name empty) or {@code $name}. */
    record VarHead(String name) implements Head {
    }

    record KeyHead(String key) implements Head {
    }

    record AtHead() implements Head {
    }

    /** {@code $( expr )}. */
    record ExprHead(Expr expr) implements Head {
    }

    /** A literal at the head of a path inside an expression ({@code "abc"->slice(0, 1)}). */
    record LitHead(Expr literal) implements Head {
    }

    sealed interface Step permits KeyStep, MethodStep, OptionalStep {
    }

    record KeyStep(String key) implements Step {
    }

    record MethodStep(String name, List<Expr> args) implements Step {
        MethodStep {
            args = List.copyOf(args);
        }
    }

    /** {@code ?}: null becomes missing, and a missing value silently ends the path. */
    record OptionalStep() implements Step {
    }

    /** Literal expressions ({@code LitExpr}): method arguments and {@code $( … )}. */
    sealed interface Expr permits Literal, ObjectLit, ArrayLit, PathSelection, OpChain {
    }

    /** A JSON primitive (string, number, boolean, null). */
    record Literal(Object value) implements Expr {
    }

    record ObjectLit(Map<String, Expr> properties) implements Expr {
    }

    record ArrayLit(List<Expr> items) implements Expr {
        ArrayLit {
            items = List.copyOf(items);
        }
    }

    /** {@code a ?? b ?? c} (null-coalescing) or {@code a ?! b} (none-coalescing); one operator per chain. */
    record OpChain(boolean noneOnly, List<Expr> operands) implements Expr {
        OpChain {
            operands = List.copyOf(operands);
        }
    }
}
