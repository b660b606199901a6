package io.atrium.router.connector.rest.selection;

import java.util.Map;
import java.util.Set;

/**
 * Apollo Connectors' mapping language (JSONSelection), parsed once and applied per response or request: paths,
 * aliases, groups, spreads, variables ({@code $args $this $batch $config $context $request $response $status $env}),
 * {@code @}, literals ({@code $(…)}), {@code ?}, {@code ??}/{@code ?!} and the {@code ->} methods.
 *
 * <p>Thread-safe and immutable; {@link #apply} allocates only its output. An output object whose keys are each one
 * field, group or aliased path is a {@link SelectionView}: its values are mapped when read (the router reads the few
 * fields the operation selects, once each), the same values an eager mapping gives, since without {@code ->as} a
 * selection is a pure function of its input and variables. The variables must not change after the application.
 */
public final class JsonSelection {

    private final String text;
    private final Object root;
    private final Set<String> variables;
    /** Whether outputs may be read key by key ({@link SelectionView}): no {@code ->as} makes the order matter. */
    private final boolean lazy;

    private JsonSelection(String text, Object root, Set<String> variables, boolean lazy) {
        this.text = text;
        this.root = root;
        this.variables = Set.copyOf(variables);
        this.lazy = lazy;
    }

    /** @throws SelectionSyntaxException naming the offset of the first error */
    public static JsonSelection parse(String text) {
        Parser parser = new Parser(text);
        Object root = parser.parseTop();
        return new JsonSelection(text, root, parser.variables, !parser.binds);
    }

    /**
     * @param input     the JSON being mapped ({@code $} at the top)
     * @param variables {@code "$args"}, {@code "$this"}, … → their JSON values (absent ones are missing)
     * @return the output, or null when the selection produced nothing
     */
    public Object apply(Object input, Map<String, Object> variables) {
        Object result = new Evaluator(variables, lazy).top(root, input);
        return result == Evaluator.MISSING ? null : result;
    }

    /** Like {@link #apply} but tells "nothing" apart from null: the result is {@link #isMissing(Object) missing}. */
    public Object evaluate(Object input, Map<String, Object> variables) {
        return new Evaluator(variables, lazy).top(root, input);
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
