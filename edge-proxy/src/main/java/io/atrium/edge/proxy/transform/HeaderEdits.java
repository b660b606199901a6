package io.atrium.edge.proxy.transform;

import io.atrium.edge.config.Template;
import io.atrium.edge.config.TransformConfig;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

import java.util.List;

/**
 * Header edits with their names as shared {@link AsciiString}s: remove, rename, replace (only when present), add (only
 * when absent), append. Values are rendered by {@link #render} before {@link #apply} changes anything.
 */
final class HeaderEdits {

    private final AsciiString[] remove;
    private final AsciiString[] renameFrom;
    private final AsciiString[] renameTo;
    private final TransformConfig.FieldEdits edits;
    private final AsciiString[] replace;
    private final AsciiString[] add;
    private final AsciiString[] append;

    private HeaderEdits(TransformConfig.FieldEdits edits) {
        this.edits = edits;
        this.remove = edits.remove().stream().map(AsciiString::cached).toArray(AsciiString[]::new);
        this.renameFrom = edits.rename().stream().map(r -> AsciiString.cached(r.from())).toArray(AsciiString[]::new);
        this.renameTo = edits.rename().stream().map(r -> AsciiString.cached(r.to())).toArray(AsciiString[]::new);
        this.replace = names(edits.replace());
        this.add = names(edits.add());
        this.append = names(edits.append());
    }

    /** Null when there is nothing to edit. */
    static HeaderEdits of(TransformConfig.FieldEdits edits) {
        return edits.isEmpty() ? null : new HeaderEdits(edits);
    }

    private static AsciiString[] names(List<TransformConfig.Entry> entries) {
        return entries.stream().map(e -> AsciiString.cached(e.name())).toArray(AsciiString[]::new);
    }

    /** The values of replace, add and append, in that order. */
    String[] render(Template.Input input) {
        return RouteTransform.render(edits, input, Template.Target.HEADER);
    }

    void apply(HttpHeaders headers, String[] values) {
        for (AsciiString name : remove) {
            headers.remove(name);
        }
        for (int i = 0; i < renameFrom.length; i++) {
            List<String> moved = headers.getAll(renameFrom[i]);
            if (!moved.isEmpty()) {
                headers.remove(renameFrom[i]);
                headers.set(renameTo[i], moved);
            }
        }
        for (int i = 0; i < replace.length; i++) {
            if (headers.contains(replace[i])) {
                headers.set(replace[i], values[i]);
            }
        }
        for (int i = 0; i < add.length; i++) {
            if (!headers.contains(add[i])) {
                headers.set(add[i], values[replace.length + i]);
            }
        }
        for (int i = 0; i < append.length; i++) {
            headers.add(append[i], values[replace.length + add.length + i]);
        }
    }
}
