package io.atrium.edge.config;

import java.util.List;

/**
 * The route file is unreadable or invalid. {@link #errors()} lists every problem found, each starting with the
 * offending key's path; the message joins them.
 */
public final class EdgeConfigException extends RuntimeException {

    private final List<String> errors;

    public EdgeConfigException(String message) {
        super(message);
        this.errors = List.of(message);
    }

    public EdgeConfigException(String message, Throwable cause) {
        super(message, cause);
        this.errors = List.of(message);
    }

    /** Several problems found in one load. */
    public EdgeConfigException(List<String> errors) {
        super(String.join("; ", errors));
        this.errors = List.copyOf(errors);
    }

    /** The same problems, each prefixed with the config's {@code source} (a file name). */
    public EdgeConfigException(String source, List<String> errors) {
        this(errors.stream().map(e -> source + ": " + e).toList());
    }

    public List<String> errors() {
        return errors;
    }
}
