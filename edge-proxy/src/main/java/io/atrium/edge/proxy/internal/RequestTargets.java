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

    /** The host of a Host header ({@code name}, {@code name:port}, {@code [v6]:port}), or null when it is not a plain host. */
    static String hostWithoutPort(String hostHeader) {
        if (hostHeader == null || hostHeader.isEmpty() || hostHeader.length() > 255) {
            return null;
        }
        int end = hostHeader.length();
        if (hostHeader.charAt(0) == '[') {
            end = hostHeader.indexOf(']') + 1;
            if (end <= 0) {
                return null;
            }
        } else {
            int colon = hostHeader.indexOf(':');
            end = colon < 0 ? end : colon;
        }
        for (int i = 0; i < end; i++) {
            char c = hostHeader.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == ':'
                    || c == '[' || c == ']';
            if (!ok) {
                return null;
            }
        }
        return end == 0 ? null : hostHeader.substring(0, end);
    }

}
