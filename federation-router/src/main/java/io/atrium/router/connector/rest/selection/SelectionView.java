package io.atrium.router.connector.rest.selection;

import io.atrium.router.connector.rest.selection.Ast.Named;
import io.atrium.router.connector.rest.selection.Ast.SubSelection;
import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;

/**
 * The output object of a keyed sub-selection over one input object, mapped as it is read: {@link #get} maps the one
 * entry that gives the key. A connector's answer is read by the operation that asked for it — a few of the mapped
 * fields, once each — so fields nobody selects are never mapped and no intermediate object is built for those that
 * are (the answer's own objects are built by the operation's shaping). Iterating, {@code size} or {@code equals}
 * map every entry once, as the eager mapping does. Read-only.
 */
final class SelectionView extends AbstractMap<String, Object> {
    private final Evaluator evaluator;
    private final SubSelection sub;
    private final Object input;
    private Map<String, Object> mapped;

    SelectionView(Evaluator evaluator, SubSelection sub, Object input) {
        this.evaluator = evaluator;
        this.sub = sub;
        this.input = input;
    }

    private Object value(Object key) {
        Named named = sub.byKey().get(key);
        return named == null ? Evaluator.MISSING : evaluator.value(named, input);
    }

    @Override
    public Object get(Object key) {
        Object value = value(key);
        return value == Evaluator.MISSING ? null : value;
    }

    @Override
    public boolean containsKey(Object key) {
        return value(key) != Evaluator.MISSING;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        if (mapped == null) {
            mapped = java.util.Collections.unmodifiableMap(evaluator.eager(sub, input));
        }
        return mapped.entrySet();
    }
}
