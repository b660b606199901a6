package io.atrium.graphql.bff;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The trusted operations of every registered app version (registry keys {@code <app>/<version>}, or {@code <app>} for
 * operations every version of that app may send), indexed by id and by operation name, at one registry version.
 */
public final class AppOperations {
    /** One registered operation. */
    public record Operation(String id, String name, String type, String body) {
    }

    /** What a request naming an operation gets. */
    public sealed interface Lookup {
        record Found(Operation operation) implements Lookup {
        }

        /** The app version is older than the configured minimum, or has no operations (retired or never published). */
        record UpdateRequired(String message) implements Lookup {
        }

        record NotInList() implements Lookup {
        }
    }

    private record Version(Map<String, Operation> byId, Map<String, Operation> byName) {
    }

    private static final java.util.regex.Pattern SEPARATORS = java.util.regex.Pattern.compile("[.+-]");
    private static final java.util.regex.Pattern DIGITS = java.util.regex.Pattern.compile("\\d{1,9}");

    public static final AppOperations EMPTY = new AppOperations(Map.of(), Map.of());

    private final Map<String, Version> versions;
    private final Map<String, String> minVersions;

    private AppOperations(Map<String, Version> versions, Map<String, String> minVersions) {
        this.versions = Map.copyOf(versions);
        this.minVersions = Map.copyOf(minVersions);
    }

    /** From the registry's {@code GET /registry/operations} answer. */
    @SuppressWarnings("unchecked")
    static AppOperations of(Map<String, Object> clients, Map<String, String> minVersions) {
        Map<String, Version> versions = new HashMap<>();
        clients.forEach((key, value) -> {
            Map<String, Operation> byId = new HashMap<>();
            Map<String, Operation> byName = new HashMap<>();
            for (Object item : (List<Object>) value) {
                Map<String, Object> op = (Map<String, Object>) item;
                Operation operation = new Operation((String) op.get("id"), (String) op.get("name"),
                        (String) op.get("type"), (String) op.get("body"));
                byId.put(operation.id(), operation);
                if (operation.name() != null) {
                    byName.put(operation.name(), operation);
                }
            }
            versions.put(key, new Version(Map.copyOf(byId), Map.copyOf(byName)));
        });
        return new AppOperations(versions, minVersions);
    }

    /** The operation {@code id} for this app version. */
    public Lookup byId(String app, String version, String id) {
        return lookup(app, version, id, true);
    }

    /** The operation named {@code name} for this app version (GET by name). */
    public Lookup byName(String app, String version, String name) {
        return lookup(app, version, name, false);
    }

    private Lookup lookup(String app, String version, String key, boolean byId) {
        if (app == null || version == null) {
            return new Lookup.UpdateRequired("send the app's name and version (apollographql-client-name and "
                    + "apollographql-client-version): operations are registered per app version");
        }
        String min = minVersions.get(app);
        if (min != null && compare(version, min) < 0) {
            return new Lookup.UpdateRequired(app + " " + version + " is no longer supported (the oldest supported "
                    + "version is " + min + "); update the app");
        }
        Version own = versions.get(app + "/" + version);
        Version shared = versions.get(app);
        if (own == null && shared == null) {
            return new Lookup.UpdateRequired(app + " " + version + " has no registered operations (retired or never "
                    + "published); update the app");
        }
        for (Version v : new Version[] {own, shared}) {
            Operation found = v == null ? null : (byId ? v.byId() : v.byName()).get(key);
            if (found != null) {
                return new Lookup.Found(found);
            }
        }
        return new Lookup.NotInList();
    }

    /** Dotted versions compared part by part, numerically where both parts are numbers. */
    static int compare(String a, String b) {
        String[] x = SEPARATORS.split(a);
        String[] y = SEPARATORS.split(b);
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            String p = i < x.length ? x[i] : "0";
            String q = i < y.length ? y[i] : "0";
            int c = DIGITS.matcher(p).matches() && DIGITS.matcher(q).matches()
                    ? Integer.compare(Integer.parseInt(p), Integer.parseInt(q)) : p.compareTo(q);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
