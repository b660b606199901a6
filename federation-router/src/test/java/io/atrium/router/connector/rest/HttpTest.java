package io.atrium.router.connector.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpTest {

    @ParameterizedTest
    @ValueSource(strings = {
            "http://orders.internal:8080/orders-by-user?userIds=1%2C2,3&x=a:b@c",
            "http://127.0.0.1/users/42/orders",
            "http://[::1]:9000/a/b;c=d?e=f&g=h(i)*j+k!l$m'n",
            "https://api.example.com/v1/items?tag=%E2%82%AC&empty=",
            "http://user:secret@host.example/p/%7Ex"})
    void aValidUrlIsSplitAsJavaNetUriReadsIt(String url) {
        Http.Target split = Http.split(url);
        URI uri = URI.create(url);
        assertEquals(uri.getScheme(), split.origin().getScheme());
        assertEquals(uri.getHost(), split.origin().getHost());
        assertEquals(uri.getPort(), split.origin().getPort());
        assertEquals(uri.getRawQuery() == null ? uri.getRawPath() : uri.getRawPath() + "?" + uri.getRawQuery(),
                split.target());
    }

    @Test
    void anOriginIsParsedOnceAndTheTargetAlwaysStartsWithASlash() {
        Http.Target first = Http.split("http://cache-test.example:81/a?x=1");
        Http.Target second = Http.split("http://cache-test.example:81/b");
        assertSame(first.origin(), second.origin());
        assertEquals("/", Http.split("http://cache-test.example:81").target());
        assertEquals("/?x=1", Http.split("http://cache-test.example:81?x=1").target());
        assertEquals("/a", Http.split("http://cache-test.example:81/a#section").target(), "a fragment is never sent");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "http://host/a b",           // space: would split the request line
            "http://host/a\r\nX-Injected: 1",
            "http://host/a?q={x}",
            "http://host/\"quoted\"",
            "http://host/caf\u00e9",      // not percent-encoded
            "http://host/a%G1",
            "http://host/a%4",
            "/relative/path",
            "http:///no-host"})
    void aUrlNoRequestLineMayCarryIsRefused(String url) {
        assertThrows(IllegalArgumentException.class, () -> Http.split(url));
    }
}
