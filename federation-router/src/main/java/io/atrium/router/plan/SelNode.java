package io.atrium.router.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A selection set under construction while planning; frozen into {@link SelectionItem}s. */
final class SelNode {
    private final Map<String, Object> items = new LinkedHashMap<>();

    private static final class FieldSel {
        final String alias;
        final String name;
        final String arguments;
        final String directives;
        final SelNode sub;

        FieldSel(String alias, String name, String arguments, String directives, SelNode sub) {
            this.alias = alias;
            this.name = name;
            this.arguments = arguments;
            this.directives = directives;
            this.sub = sub;
        }
    }

    private record FragSel(String typeCondition, String directives, SelNode sub) {
    }

    void leaf(String alias, String name, String arguments, String directives) {
        String key = "f:" + (alias != null ? alias : name) + "|" + directives;
        items.putIfAbsent(key, new FieldSel(alias, name, arguments, directives, null));
    }

    SelNode composite(String alias, String name, String arguments, String directives) {
        String key = "f:" + (alias != null ? alias : name) + "|" + directives;
        Object existing = items.get(key);
        if (existing instanceof FieldSel field && field.sub != null) {
            return field.sub;
        }
        FieldSel field = new FieldSel(alias, name, arguments, directives, new SelNode());
        items.put(key, field);
        return field.sub;
    }

    SelNode fragment(String typeCondition, String directives) {
        String key = "t:" + typeCondition + "|" + directives;
        Object existing = items.get(key);
        if (existing instanceof FragSel fragment) {
            return fragment.sub;
        }
        FragSel fragment = new FragSel(typeCondition, directives, new SelNode());
        items.put(key, fragment);
        return fragment.sub;
    }

    /** True when {@code other} can be merged into this node without two fields sharing a response key. */
    boolean compatible(SelNode other) {
        for (Map.Entry<String, Object> entry : other.items.entrySet()) {
            Object mine = items.get(entry.getKey());
            if (mine == null) {
                continue;
            }
            if (mine instanceof FieldSel a && entry.getValue() instanceof FieldSel b) {
                if (!a.name.equals(b.name) || !a.arguments.equals(b.arguments) || (a.sub == null) != (b.sub == null)
                        || (a.sub != null && !a.sub.compatible(b.sub))) {
                    return false;
                }
            } else if (mine instanceof FragSel a && entry.getValue() instanceof FragSel b) {
                if (!a.sub.compatible(b.sub)) {
                    return false;
                }
            } else {
                return false;
            }
        }
        return true;
    }

    /**
     * True when {@code other} selects a field this node also selects under another response key (e.g. two
     * {@code @requires} reading one field with different arguments): a representation sends fields by name, so
     * both cannot go in one.
     */
    boolean selectsFieldUnderOtherKey(SelNode other) {
        for (Map.Entry<String, Object> entry : other.items.entrySet()) {
            if (!(entry.getValue() instanceof FieldSel theirs)) {
                continue;
            }
            for (Map.Entry<String, Object> own : items.entrySet()) {
                if (own.getValue() instanceof FieldSel mine && mine.name.equals(theirs.name)
                        && (!own.getKey().equals(entry.getKey())
                        || (mine.sub != null && theirs.sub != null && mine.sub.selectsFieldUnderOtherKey(theirs.sub)))) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Merges a {@link #compatible} node into this one. */
    void mergeFrom(SelNode other) {
        for (Map.Entry<String, Object> entry : other.items.entrySet()) {
            Object mine = items.get(entry.getKey());
            if (mine == null) {
                items.put(entry.getKey(), copy(entry.getValue()));
            } else if (mine instanceof FieldSel a && a.sub != null) {
                a.sub.mergeFrom(((FieldSel) entry.getValue()).sub);
            } else if (mine instanceof FragSel a) {
                a.sub.mergeFrom(((FragSel) entry.getValue()).sub);
            }
        }
    }

    private static Object copy(Object item) {
        if (item instanceof FieldSel field) {
            SelNode sub = null;
            if (field.sub != null) {
                sub = new SelNode();
                sub.mergeFrom(field.sub);
            }
            return new FieldSel(field.alias, field.name, field.arguments, field.directives, sub);
        }
        FragSel fragment = (FragSel) item;
        SelNode sub = new SelNode();
        sub.mergeFrom(fragment.sub);
        return new FragSel(fragment.typeCondition, fragment.directives, sub);
    }

    boolean isEmpty() {
        return items.isEmpty();
    }

    List<SelectionItem> freeze() {
        List<SelectionItem> result = new ArrayList<>();
        for (Object item : items.values()) {
            if (item instanceof FieldSel field) {
                List<SelectionItem> sub = null;
                if (field.sub != null) {
                    sub = field.sub.freeze();
                    if (sub.isEmpty()) {
                        sub = List.of(new SelectionItem.Field(null, "__typename", "", "", null));
                    }
                }
                result.add(new SelectionItem.Field(field.alias, field.name, field.arguments, field.directives, sub));
            } else if (item instanceof FragSel fragment) {
                List<SelectionItem> sub = fragment.sub.freeze();
                if (!sub.isEmpty()) {
                    result.add(new SelectionItem.InlineFragment(fragment.typeCondition, fragment.directives, sub));
                }
            }
        }
        return result;
    }
}
