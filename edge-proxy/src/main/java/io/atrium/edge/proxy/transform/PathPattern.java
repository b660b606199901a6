package io.atrium.edge.proxy.transform;

/**
 * A compiled {@code transform.request.path.pattern}: literal segments and captures ({@code {name}} one segment, a last
 * {@code {name*}} the rest of the path). Matching walks the path once; no regex.
 */
final class PathPattern {

    /** Literal segment text, or null for a capture. */
    private final String[] segments;
    private final boolean rest;
    private final int captures;

    private PathPattern(String[] segments, boolean rest, int captures) {
        this.segments = segments;
        this.rest = rest;
        this.captures = captures;
    }

    /** For a pattern the config reader checked. */
    static PathPattern compile(String pattern) {
        String[] parts = pattern.substring(1).split("/", -1);
        String[] segments = new String[parts.length];
        boolean rest = false;
        int captures = 0;
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].startsWith("{")) {
                captures++;
                rest = parts[i].endsWith("*}");
            } else {
                segments[i] = parts[i];
            }
        }
        return new PathPattern(segments, rest, captures);
    }

    /** The captures of {@code path} in pattern order, or null when it does not match. */
    String[] match(String path) {
        String[] out = new String[captures];
        int capture = 0;
        int position = 1;
        for (int i = 0; i < segments.length; i++) {
            boolean last = i == segments.length - 1;
            if (last && rest) {
                out[capture] = position >= path.length() ? "" : path.substring(position);
                return out;
            }
            if (position > path.length()) {
                return null;
            }
            int end = path.indexOf('/', position);
            if (end < 0) {
                end = path.length();
            }
            if (last && end != path.length()) {
                return null;
            }
            String segment = segments[i];
            if (segment == null) {
                if (end == position) {
                    return null; // a single-segment capture is never empty
                }
                out[capture++] = path.substring(position, end);
            } else if (end - position != segment.length() || !path.startsWith(segment, position)) {
                return null;
            }
            position = end + 1;
        }
        return out;
    }
}
