package io.atrium.edge.proxy.internal;

/** Checks on the client's request target before it is routed. */
final class RequestTargets {

    private RequestTargets() {
    }

    /**
     * Null when the target can be routed, else why not. Only origin-form ({@code /path?query}) is accepted, and the path
     * must not contain dot segments ({@code .}, {@code ..}, also percent-encoded): a prefix match on
     * {@code /api/../admin} would otherwise send the request somewhere the route never meant.
     */
    static String problem(String target) {
        if (target.isEmpty() || target.charAt(0) != '/') {
            return "the request target must be a path starting with '/' (absolute-form and authority-form are not supported)";
        }
        int end = target.indexOf('?');
        if (end < 0) {
            end = target.length();
        }
        int segmentStart = 1;
        for (int i = 1; i <= end; i++) {
            if (i == end || target.charAt(i) == '/') {
                if (isDotSegment(target, segmentStart, i)) {
                    return "the path must not contain '.' or '..' segments";
                }
                segmentStart = i + 1;
            }
        }
        return null;
    }

    private static boolean isDotSegment(String s, int from, int to) {
        int dots = 0;
        int i = from;
        while (i < to) {
            if (s.charAt(i) == '.') {
                i++;
            } else if (isEncodedDot(s, i, to)) {
                i += 3;
            } else {
                return false;
            }
            dots++;
        }
        return dots == 1 || dots == 2;
    }

    private static boolean isEncodedDot(String s, int i, int to) {
        return i + 3 <= to && s.charAt(i) == '%' && s.charAt(i + 1) == '2' && (s.charAt(i + 2) == 'e' || s.charAt(i + 2) == 'E');
    }
}
