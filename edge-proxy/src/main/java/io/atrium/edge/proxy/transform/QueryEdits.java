package io.atrium.edge.proxy.transform;

import io.atrium.edge.config.Template;
import io.atrium.edge.config.TransformConfig;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Query parameter edits on the upstream target, in the order of {@link HeaderEdits}. Names are compared in their
 * encoded form (configured names are percent-encoded once at load); untouched pairs keep their bytes and order.
 */
final class QueryEdits {

    private final TransformConfig.FieldEdits edits;
    private final String[] remove;
    private final String[] renameFrom;
    private final String[] renameTo;
    private final String[] replace;
    private final String[] add;
    private final String[] append;

    private QueryEdits(TransformConfig.FieldEdits edits) {
        this.edits = edits;
        this.remove = edits.remove().stream().map(QueryEdits::encode).toArray(String[]::new);
        this.renameFrom = edits.rename().stream().map(r -> encode(r.from())).toArray(String[]::new);
        this.renameTo = edits.rename().stream().map(r -> encode(r.to())).toArray(String[]::new);
        this.replace = edits.replace().stream().map(e -> encode(e.name())).toArray(String[]::new);
        this.add = edits.add().stream().map(e -> encode(e.name())).toArray(String[]::new);
        this.append = edits.append().stream().map(e -> encode(e.name())).toArray(String[]::new);
    }

    static QueryEdits of(TransformConfig.FieldEdits edits) {
        return edits.isEmpty() ? null : new QueryEdits(edits);
    }

    private static String encode(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8);
    }

    /** The values of replace, add and append, in that order. */
    String[] render(Template.Input input) {
        return RouteTransform.render(edits, input, Template.Target.QUERY);
    }

    /** {@code target} with its query edited. */
    String apply(String target, String[] values) {
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        List<String[]> pairs = parse(q < 0 ? "" : target.substring(q + 1));
        for (String name : remove) {
            pairs.removeIf(pair -> pair[0].equals(name));
        }
        for (int i = 0; i < renameFrom.length; i++) {
            String from = renameFrom[i];
            String to = renameTo[i];
            if (pairs.stream().anyMatch(pair -> pair[0].equals(from))) {
                pairs.removeIf(pair -> pair[0].equals(to));
                pairs.forEach(pair -> pair[0] = pair[0].equals(from) ? to : pair[0]);
            }
        }
        for (int i = 0; i < replace.length; i++) {
            String name = replace[i];
            String[] first = pairs.stream().filter(pair -> pair[0].equals(name)).findFirst().orElse(null);
            if (first != null) {
                first[1] = values[i];
                pairs.removeIf(pair -> pair != first && pair[0].equals(name));
            }
        }
        for (int i = 0; i < add.length; i++) {
            String name = add[i];
            if (pairs.stream().noneMatch(pair -> pair[0].equals(name))) {
                pairs.add(new String[] {name, values[replace.length + i]});
            }
        }
        for (int i = 0; i < append.length; i++) {
            pairs.add(new String[] {append[i], values[replace.length + add.length + i]});
        }
        if (pairs.isEmpty()) {
            return path;
        }
        StringBuilder out = new StringBuilder(target.length() + 32).append(path);
        char separator = '?';
        for (String[] pair : pairs) {
            out.append(separator).append(pair[0]);
            if (pair[1] != null) {
                out.append('=').append(pair[1]);
            }
            separator = '&';
        }
        return out.toString();
    }

    private static List<String[]> parse(String query) {
        List<String[]> pairs = new ArrayList<>();
        int start = 0;
        while (start < query.length()) {
            int end = query.indexOf('&', start);
            if (end < 0) {
                end = query.length();
            }
            if (end > start) {
                int equals = query.indexOf('=', start);
                pairs.add(equals < 0 || equals > end
                        ? new String[] {query.substring(start, end), null}
                        : new String[] {query.substring(start, equals), query.substring(equals + 1, end)});
            }
            start = end + 1;
        }
        return pairs;
    }
}
