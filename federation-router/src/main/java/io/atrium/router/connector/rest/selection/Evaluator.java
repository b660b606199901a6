package io.atrium.router.connector.rest.selection;

import io.atrium.router.connector.rest.selection.Ast.AliasedPath;
import io.atrium.router.connector.rest.selection.Ast.ArrayLit;
import io.atrium.router.connector.rest.selection.Ast.AtHead;
import io.atrium.router.connector.rest.selection.Ast.Expr;
import io.atrium.router.connector.rest.selection.Ast.ExprHead;
import io.atrium.router.connector.rest.selection.Ast.Field;
import io.atrium.router.connector.rest.selection.Ast.Group;
import io.atrium.router.connector.rest.selection.Ast.KeyHead;
import io.atrium.router.connector.rest.selection.Ast.KeyStep;
import io.atrium.router.connector.rest.selection.Ast.LitHead;
import io.atrium.router.connector.rest.selection.Ast.Literal;
import io.atrium.router.connector.rest.selection.Ast.MethodStep;
import io.atrium.router.connector.rest.selection.Ast.Named;
import io.atrium.router.connector.rest.selection.Ast.ObjectLit;
import io.atrium.router.connector.rest.selection.Ast.OpChain;
import io.atrium.router.connector.rest.selection.Ast.OptionalStep;
import io.atrium.router.connector.rest.selection.Ast.PathSelection;
import io.atrium.router.connector.rest.selection.Ast.Spread;
import io.atrium.router.connector.rest.selection.Ast.Step;
import io.atrium.router.connector.rest.selection.Ast.SubSelection;
import io.atrium.router.connector.rest.selection.Ast.VarHead;
import io.atrium.router.json.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies a parsed selection to JSON. A missing value ({@link #MISSING}, Apollo's "None") leaves its output key out;
 * {@code null} is a value. A sub-selection applied to an array maps over it; a {@code .key} step on an array looks the
 * key up in each element and the rest of the path applies to the resulting array (as Apollo's runtime does). {@code $} is the value of the closest enclosing sub-selection, {@code @}
 * the input of the current method. One evaluator per application: {@code ->as} binds variables in it.
 */
final class Evaluator {

    static final Object MISSING = new Object() {
        @Override
        public String toString() {
            return "<missing>";
        }
    };

    /** The caller's variables until {@code ->as} binds one; then this evaluator's own copy. */
    private Map<String, Object> variables;
    private boolean copied;

    /** Whether objects are {@link SelectionView}s, mapped as read (no {@code ->as} in the selection). */
    private final boolean lazy;

    /** @param variables read only: a binding copies them first */
    Evaluator(Map<String, Object> variables, boolean lazy) {
        this.variables = variables;
        this.lazy = lazy;
    }

    void bind(String name, Object value) {
        if (!copied) {
            variables = new HashMap<>(variables);
            copied = true;
        }
        variables.put(name, value);
    }

    Object top(Object selection, Object input) {
        return selection instanceof PathSelection path ? pathSelection(path, input, input) : sub((SubSelection) selection, input);
    }

    Object sub(SubSelection sub, Object value) {
        if (value == MISSING || value == null) {
            return value;
        }
        if (value instanceof List<?> list) {
            List<Object> mapped = new ArrayList<>(list.size());
            for (Object item : list) {
                Object result = sub(sub, item);
                mapped.add(result == MISSING ? null : result);
            }
            return mapped;
        }
        if (lazy && sub.byKey() != null && value instanceof Map<?, ?>) {
            return new SelectionView(this, sub, value);
        }
        return eager(sub, value);
    }

    /** The sub-selection's output object for {@code value}, every key mapped now. */
    Map<String, Object> eager(SubSelection sub, Object value) {
        Map<String, Object> out = Json.object(sub.selections().size());
        for (Named named : sub.selections()) {
            named(named, value, out);
        }
        return out;
    }

    /** The value one entry of a keyed sub-selection gives for {@code value}, or {@link #MISSING}. */
    Object value(Named named, Object value) {
        return switch (named) {
            case Field field -> {
                Object v = get(value, field.key());
                yield v == MISSING || field.sub() == null ? v : sub(field.sub(), v);
            }
            case AliasedPath aliased -> pathSelection(aliased.path(), value, value);
            case Group group -> sub(group.sub(), value);
            case Spread ignored -> throw new IllegalStateException("a spread has no key");
        };
    }

    private void named(Named named, Object value, Map<String, Object> out) {
        switch (named) {
            case Field field -> {
                Object v = get(value, field.key());
                if (v != MISSING) {
                    out.put(field.alias() != null ? field.alias() : field.key(), field.sub() == null ? v : sub(field.sub(), v));
                }
            }
            case AliasedPath aliased -> {
                Object v = pathSelection(aliased.path(), value, value);
                if (v != MISSING) {
                    out.put(aliased.alias(), v);
                }
            }
            case Group group -> {
                Object v = sub(group.sub(), value);
                if (v != MISSING) {
                    out.put(group.alias(), v);
                }
            }
            case Spread spread -> {
                if (pathSelection(spread.path(), value, value) instanceof Map<?, ?> map) {
                    map.forEach((k, v) -> out.put((String) k, v));
                }
            }
        }
    }

    Object pathSelection(PathSelection selection, Object dollar, Object at) {
        Object head = switch (selection.path().head()) {
            case VarHead var -> var.name().isEmpty() ? dollar : variables.getOrDefault("$" + var.name(), MISSING);
            case KeyHead key -> get(dollar, key.key());
            case AtHead ignored -> at;
            case ExprHead expr -> expr(expr.expr(), dollar, at);
            case LitHead lit -> expr(lit.literal(), dollar, at);
        };
        Object value = steps(head, selection.path().steps(), 0, dollar);
        return selection.sub() == null ? value : sub(selection.sub(), value);
    }

    private Object steps(Object value, List<Step> steps, int from, Object dollar) {
        for (int i = from; i < steps.size(); i++) {
            switch (steps.get(i)) {
                case OptionalStep ignored -> {
                    if (value == null || value == MISSING) {
                        return MISSING;
                    }
                }
                case KeyStep key -> {
                    value = key(value, key.key());
                }
                case MethodStep method -> value = Methods.apply(this, method, value, dollar);
            }
        }
        return value;
    }

    Object expr(Expr expr, Object dollar, Object at) {
        return switch (expr) {
            case Literal literal -> literal.value();
            case ObjectLit object -> {
                Map<String, Object> out = new LinkedHashMap<>();
                object.properties().forEach((key, value) -> {
                    Object v = expr(value, dollar, at);
                    if (v != MISSING) {
                        out.put(key, v);
                    }
                });
                yield out;
            }
            case ArrayLit array -> {
                List<Object> out = new ArrayList<>(array.items().size());
                for (Expr item : array.items()) {
                    Object v = expr(item, dollar, at);
                    out.add(v == MISSING ? null : v);
                }
                yield out;
            }
            case PathSelection path -> pathSelection(path, dollar, at);
            case OpChain chain -> {
                Object result = MISSING;
                for (Expr operand : chain.operands()) {
                    result = expr(operand, dollar, at);
                    if (result != MISSING && (chain.noneOnly() || result != null)) {
                        break;
                    }
                }
                yield result;
            }
        };
    }

    /** A key on an array is looked up in each element (shallowly); the rest of the path applies to the new array. */
    private static Object key(Object value, String key) {
        if (!(value instanceof List<?> list)) {
            return get(value, key);
        }
        List<Object> mapped = new ArrayList<>(list.size());
        for (Object item : list) {
            Object result = key(item, key);
            mapped.add(result == MISSING ? null : result);
        }
        return mapped;
    }

    static Object get(Object value, String key) {
        if (value instanceof Map<?, ?> map) {
            Object v = map.get(key);
            return v != null || map.containsKey(key) ? v : MISSING;
        }
        return MISSING;
    }
}
