package io.atrium.policy;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/** Allocation-light query string access for {@link PolicyRequest#queryParameter(String)}. */
public final class QueryStrings {

    private QueryStrings() {
    }

    /** The first value of {@code name} in the raw query string, percent-decoded; null when absent or the query is null. */
    public static String parameter(String query, String name) {
        if (query == null || query.isEmpty()) {
            return null;
        }
        int length = query.length();
        int start = 0;
        while (start < length) {
            int end = query.indexOf('&', start);
            if (end < 0) {
                end = length;
            }
            int equals = query.indexOf('=', start);
            int nameEnd = equals < 0 || equals > end ? end : equals;
            if (nameEnd - start == name.length() && query.regionMatches(start, name, 0, name.length())) {
                String raw = nameEnd == end ? "" : query.substring(nameEnd + 1, end);
                return raw.indexOf('%') < 0 && raw.indexOf('+') < 0 ? raw : URLDecoder.decode(raw, StandardCharsets.UTF_8);
            }
            start = end + 1;
        }
        return null;
    }
}
