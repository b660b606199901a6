package io.atrium.graphql.document;

import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.VariableDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Measures an operation for the limits before it is validated, so it must stay cheap on hostile documents: each
 * fragment is summarised once (a fragment spread many times costs nothing more), a fragment cycle counts as empty
 * (validation refuses it later), and the unique-field walk for the height stops at {@code heightCap}.
 */
final class OperationMeasurer {
    private final Map<String, FragmentDefinition> fragments = new HashMap<>();
    private final Map<String, Stats> summaries = new HashMap<>();
    private final Set<String> inProgress = new HashSet<>();
    private final int heightCap;
    private int height;

    private record Stats(int depth, long aliases, long directives, long fields) {
        static final Stats EMPTY = new Stats(0, 0, 0, 0);
    }

    private OperationMeasurer(Document document, int heightCap) {
        this.heightCap = heightCap;
        for (var definition : document.getDefinitions()) {
            if (definition instanceof FragmentDefinition fragment) {
                fragments.putIfAbsent(fragment.getName(), fragment);
            }
        }
    }

    static OperationMeasurements measure(Document document, OperationDefinition operation, int tokens, int heightCap) {
        OperationMeasurer measurer = new OperationMeasurer(document, heightCap);
        Stats stats = measurer.stats(operation.getSelectionSet());
        long directives = operation.getDirectives().size();
        for (VariableDefinition variable : operation.getVariableDefinitions()) {
            directives += variable.getDirectives().size();
        }
        measurer.height(List.of(operation.getSelectionSet()));
        return new OperationMeasurements(stats.depth(), measurer.height, stats.aliases(), stats.fields(),
                add(directives, stats.directives()), tokens);
    }

    private Stats stats(SelectionSet set) {
        if (set == null) {
            return Stats.EMPTY;
        }
        int depth = 0;
        long aliases = 0;
        long directives = 0;
        long fields = 0;
        for (Selection<?> selection : set.getSelections()) {
            Stats nested;
            switch (selection) {
                case Field field -> {
                    directives += field.getDirectives().size();
                    fields++;
                    if (field.getAlias() != null) {
                        aliases++;
                    }
                    Stats sub = stats(field.getSelectionSet());
                    nested = new Stats(1 + sub.depth(), sub.aliases(), sub.directives(), 0);
                }
                case InlineFragment inline -> {
                    directives += inline.getDirectives().size();
                    nested = stats(inline.getSelectionSet());
                }
                case FragmentSpread spread -> {
                    directives += spread.getDirectives().size();
                    nested = fragment(spread.getName());
                }
                default -> nested = Stats.EMPTY;
            }
            depth = Math.max(depth, nested.depth());
            aliases = add(aliases, nested.aliases());
            directives = add(directives, nested.directives());
            fields = add(fields, nested.fields());
        }
        return new Stats(depth, aliases, directives, fields);
    }

    private Stats fragment(String name) {
        Stats known = summaries.get(name);
        if (known != null) {
            return known;
        }
        FragmentDefinition definition = fragments.get(name);
        if (definition == null || !inProgress.add(name)) {
            return Stats.EMPTY; // unknown or cyclic: validation reports it
        }
        Stats own = stats(definition.getSelectionSet());
        Stats summary = new Stats(own.depth(), own.aliases(), add(own.directives(), definition.getDirectives().size()),
                own.fields());
        inProgress.remove(name);
        summaries.put(name, summary);
        return summary;
    }

    /** Counts unique fields level by level over merged selection sets, until the cap. */
    private void height(List<SelectionSet> sets) {
        Map<String, List<SelectionSet>> byName = new LinkedHashMap<>();
        Set<String> expanded = new HashSet<>();
        for (SelectionSet set : sets) {
            collect(set, byName, expanded);
        }
        for (List<SelectionSet> children : byName.values()) {
            if (++height >= heightCap) {
                return;
            }
            if (!children.isEmpty()) {
                height(children);
                if (height >= heightCap) {
                    return;
                }
            }
        }
    }

    private void collect(SelectionSet set, Map<String, List<SelectionSet>> byName, Set<String> expanded) {
        for (Selection<?> selection : set.getSelections()) {
            switch (selection) {
                case Field field -> {
                    List<SelectionSet> children = byName.computeIfAbsent(field.getName(), k -> new ArrayList<>());
                    SelectionSet child = field.getSelectionSet();
                    if (child != null && children.stream().noneMatch(s -> s == child)) {
                        children.add(child);
                    }
                }
                case InlineFragment inline -> collect(inline.getSelectionSet(), byName, expanded);
                case FragmentSpread spread -> {
                    FragmentDefinition definition = fragments.get(spread.getName());
                    if (definition != null && expanded.add(spread.getName())) {
                        collect(definition.getSelectionSet(), byName, expanded);
                    }
                }
                default -> {
                }
            }
        }
    }

    private static long add(long a, long b) {
        long sum = a + b;
        return sum < 0 ? Long.MAX_VALUE : sum;
    }
}
