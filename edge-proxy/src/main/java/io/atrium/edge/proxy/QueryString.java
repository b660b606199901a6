package io.atrium.edge.proxy;

/** Query string edits on a request target (origin-form: path, then an optional {@code ?query}). */
public final class QueryString {

    private QueryString() {
    }

    /** {@code target} without every {@code name=...} (or bare {@code name}) pair; the other pairs keep their order and bytes. */
    public static String withoutParameter(String target, String name) {
        int q = target.indexOf('?');
        if (q < 0) {
            return target;
        }
        StringBuilder out = new StringBuilder(target.length()).append(target, 0, q);
        boolean first = true;
        int start = q + 1;
        int length = target.length();
        while (start <= length) {
            int end = target.indexOf('&', start);
            if (end < 0) {
                end = length;
            }
            int equals = target.indexOf('=', start);
            int nameEnd = equals < 0 || equals > end ? end : equals;
            boolean match = nameEnd - start == name.length() && target.regionMatches(start, name, 0, name.length());
            if (!match && end > start) {
                out.append(first ? '?' : '&').append(target, start, end);
                first = false;
            }
            start = end + 1;
        }
        return out.toString();
    }
}
