package io.atrium.graphql.identity;

import io.atrium.policy.Identity;
import io.atrium.policy.identity.IdentityHeaders;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The values of the internal identity headers ({@code X-Atrium-Subject}, {@code -Consumer}, {@code -Scopes}) for a
 * request an endpoint passes on: always from the verified identity (the edge's format: scopes sorted and
 * space-separated), never what the client sent, so a header rule that propagates them cannot forward a forged one.
 */
public final class IdentityHeaderValues {
    private static final Pattern CONTROL = Pattern.compile("[\\x00-\\x1f\\x7f]");

    private IdentityHeaderValues() {
    }

    /** True for the identity headers whose value must come from {@link #value}, not from the request. */
    public static boolean isDerived(String header) {
        return IdentityHeaders.isInternal(header) && !header.equalsIgnoreCase(IdentityHeaders.ASSERTION);
    }

    /** The header's value for a verified caller, or null (anonymous, or a header the identity has no value for). */
    public static String value(Identity identity, String header) {
        if (identity == null) {
            return null;
        }
        String value;
        if (header.equalsIgnoreCase(IdentityHeaders.SUBJECT)) {
            value = identity.subject();
        } else if (header.equalsIgnoreCase(IdentityHeaders.CONSUMER)) {
            value = identity.consumer();
        } else if (header.equalsIgnoreCase(IdentityHeaders.SCOPES)) {
            value = identity.scopes().isEmpty() ? null : String.join(" ", new TreeSet<>(identity.scopes()));
        } else {
            value = null;
        }
        return value == null ? null : CONTROL.matcher(value).replaceAll("?");
    }
}
