package io.atrium.policy;

import java.util.Objects;

/** One header a policy asks to add, to the upstream request or to the client response. */
public record HttpHeader(String name, String value) {

    public HttpHeader {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }
}
