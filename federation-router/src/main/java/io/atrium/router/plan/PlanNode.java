package io.atrium.router.plan;

import java.util.List;

/** A node of a query plan. The executor interprets these; the text form prints them. */
public sealed interface PlanNode {

    /**
     * One subgraph request.
     *
     * @param serviceName    the subgraph name
     * @param graph          the subgraph's join__Graph enum value
     * @param operation      the operation text sent to the subgraph
     * @param operationName  the operation name sent, or null
     * @param variableUsages client variables the operation uses (sent along with the values the client gave)
     * @param requires       for entity fetches: the representation selection ({@code ... on T { __typename key }}), else empty
     * @param selections     what the fetch selects, as in the operation (under {@code _entities} for entity fetches)
     * @param typenameRewrites entity types (interfaces) whose representations are sent with {@code __typename} set
     *                       to the type itself, as a subgraph that models the interface as an object expects
     * @param outputRenames  keys the subgraph answers under an alias of the router's, renamed back before merging
     */
    record Fetch(
            String serviceName,
            String graph,
            String operation,
            String operationName,
            List<String> variableUsages,
            List<SelectionItem> requires,
            List<SelectionItem> selections,
            List<String> typenameRewrites,
            List<ContextVariable> contextVariables,
            List<KeyRename> outputRenames) implements PlanNode {
        public Fetch {
            outputRenames = List.copyOf(outputRenames);
            contextVariables = List.copyOf(contextVariables);
            typenameRewrites = List.copyOf(typenameRewrites);
            variableUsages = List.copyOf(variableUsages);
            requires = List.copyOf(requires);
            selections = List.copyOf(selections);
        }

        public boolean isEntityFetch() {
            return !requires.isEmpty();
        }
    }

    /**
     * A variable of an entity fetch whose value comes from an ancestor of each object ({@code @fromContext}):
     * {@code selection} read on the object at the first {@code ancestorPath.size()} steps of the object's path.
     * Objects with different values go in different requests.
     */
    record ContextVariable(String variable, List<String> ancestorPath, graphql.language.SelectionSet selection) {
        public ContextVariable {
            ancestorPath = List.copyOf(ancestorPath);
        }
    }

    /**
     * In every object at {@code path} of a fetch's answer (response keys from the data root, or from each entity;
     * lists stepped into), key {@code from} becomes {@code to}. Renames are listed deepest first.
     */
    record KeyRename(List<String> path, String from, String to) {
        private static final String ALIAS_INFIX = "__alias_";

        public KeyRename {
            path = List.copyOf(path);
        }

        /** The {@code n}th alias the router sends for response key {@code key}. */
        static String alias(String key, int n) {
            return key + ALIAS_INFIX + n;
        }

        /** The client's key for a key of a subgraph's answer: one of the router's aliases back to its key. */
        public static String clientKey(String key) {
            int at = key.lastIndexOf(ALIAS_INFIX);
            int digits = at + ALIAS_INFIX.length();
            if (at <= 0 || digits == key.length()) {
                return key;
            }
            for (int i = digits; i < key.length(); i++) {
                if (!Character.isDigit(key.charAt(i))) {
                    return key;
                }
            }
            return key.substring(0, at);
        }
    }

    /** Children run one after the other. */
    record Sequence(List<PlanNode> nodes) implements PlanNode {
        public Sequence {
            nodes = List.copyOf(nodes);
        }
    }

    /** Children run concurrently. */
    record Parallel(List<PlanNode> nodes) implements PlanNode {
        public Parallel {
            nodes = List.copyOf(nodes);
        }
    }

    /**
     * Runs an entity fetch for every object found at any of {@code paths} in the response so far
     * ({@code @} steps into every element of a list). Several paths means one batched request to the subgraph
     * for objects found at different places of the response.
     */
    record Flatten(List<List<String>> paths, PlanNode node) implements PlanNode {
        public Flatten {
            paths = paths.stream().map(List::copyOf).toList();
        }
    }

    /** Runs {@code ifTrue} when the boolean variable is true, {@code ifFalse} otherwise (either may be null). */
    record Condition(String variable, PlanNode ifTrue, PlanNode ifFalse) implements PlanNode {
    }
}
