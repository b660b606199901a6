package io.atrium.router.connector.rest.selection;

import java.util.Map;
import java.util.Set;

/**
 * Apollo Connectors' mapping language (JSONSelection), parsed once and applied per response or request: paths,
 * aliases, groups, spreads, variables ({@code $args $this $batch $config $context $request $response $status $env}),
 * {@code @}, literals ({@code $(…)}), {@code ?}, {@code ??}/{@code ?!} and the {@code ->} methods.
 *
 * <p>Thread-safe and immutable; {@link #apply} allocates only its output.
 */
public final class JsonSelection {

    private final String text;
    private final Object root;
    private final Set<String> variables;

    private JsonSelection(String text, Object root, Set<String> variables) {
        this.text = text;
        this.root = root;
        this.variables = Set.copyOf(variables);
    }

    /** @throws SelectionSyntaxException naming the offset of the first error */
    public static JsonSelection parse(String text) {
        Parser parser = new Parser(text);
        Object root = parser.parseTop();
        return new JsonSelection(text, root, parser.variables);
    }

    /**
     * @param input     the JSON being mapped ({@code $} at the top)
     * @param variables {@code "$args"}, {@code "$this"}, … → their JSON values (absent ones are missing)
     * @return the output, or null when the selection produced nothing
     */
    public Object apply(Object input, Map<String, Object> variables) {
        Object result = new Evaluator(variables).top(root, input);
        return result == Evaluator.MISSING ? null : result;
    }

    /** Like {@link #apply} but tells "nothing" apart from null: the result is {@link #isMissing(Object) missing}. */
    public Object evaluate(Object input, Map<String, Object> variables) {
        return new Evaluator(variables).top(root, input);
    }

    public static boolean isMissing(Object value) {
        return value == Evaluator.MISSING;
    }

    /** The variables the selection reads, e.g. {@code $args}, {@code $batch}. */
    public Set<String> variables() {
        return variables;
    }

    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }
}
