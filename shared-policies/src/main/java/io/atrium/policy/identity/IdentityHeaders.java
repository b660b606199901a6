package io.atrium.policy.identity;

import io.micronaut.http.MutableHttpHeaders;
import java.util.ArrayList;
import java.util.List;

/**
 * The internal identity headers the edge sets on upstream requests. Every header whose name starts with
 * {@code X-Atrium-} is internal: the edge strips all of them from client requests before adding its own, and
 * services only trust them alongside a valid {@link #ASSERTION}.
 */
public final class IdentityHeaders {

    public static final String PREFIX = "X-Atrium-";
    public static final String SUBJECT = "X-Atrium-Subject";
    public static final String CONSUMER = "X-Atrium-Consumer";
    public static final String SCOPES = "X-Atrium-Scopes";
    /** The signed internal assertion (a compact JWS); the only identity header a service may trust on its own. */
    public static final String ASSERTION = "X-Atrium-Assertion";

    private IdentityHeaders() {
    }

    /** True for every header a client must not be able to send upstream (case-insensitive {@code X-Atrium-} prefix). */
    public static boolean isInternal(CharSequence name) {
        int length = PREFIX.length();
        if (name.length() < length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (Character.toLowerCase(name.charAt(i)) != Character.toLowerCase(PREFIX.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Removes every internal header, for deployables that forward Micronaut requests. */
    public static void strip(MutableHttpHeaders headers) {
        List<String> internal = new ArrayList<>(2);
        for (String name : headers.names()) {
            if (isInternal(name)) {
                internal.add(name);
            }
        }
        internal.forEach(headers::remove);
    }

    /** A header value with control characters replaced, so that no claim can split or forge headers. */
    static String headerSafe(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                StringBuilder safe = new StringBuilder(value.length());
                for (int j = 0; j < value.length(); j++) {
                    char d = value.charAt(j);
                    safe.append(d < 0x20 || d == 0x7f ? '?' : d);
                }
                return safe.toString();
            }
        }
        return value;
    }
}
