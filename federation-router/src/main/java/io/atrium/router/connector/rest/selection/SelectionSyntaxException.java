package io.atrium.router.connector.rest.selection;

/** A JSONSelection (or URL template) that does not parse; the message names the offset and the text. */
public final class SelectionSyntaxException extends IllegalArgumentException {
    public SelectionSyntaxException(String message) {
        super(message);
    }
}
