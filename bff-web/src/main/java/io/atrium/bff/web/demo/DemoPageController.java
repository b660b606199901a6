package io.atrium.bff.web.demo;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The demo page at {@code /web/}: plain HTML, CSS and JavaScript from the classpath (read once at start), served with
 * a strict Content-Security-Policy (own scripts and styles only, no inline code, no framing).
 */
@Controller("/web")
final class DemoPageController {
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";
    private final byte[] html = read("web/index.html");
    private final byte[] js = read("web/app.js");
    private final byte[] css = read("web/app.css");

    @Get("/")
    MutableHttpResponse<byte[]> index() {
        return file(html, "text/html; charset=utf-8");
    }

    @Get("/app.js")
    MutableHttpResponse<byte[]> script() {
        return file(js, "text/javascript; charset=utf-8");
    }

    @Get("/app.css")
    MutableHttpResponse<byte[]> style() {
        return file(css, "text/css; charset=utf-8");
    }

    private static MutableHttpResponse<byte[]> file(byte[] body, String type) {
        return HttpResponse.ok(body).contentType(type)
                .header("Content-Security-Policy", CSP)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "same-origin")
                .header("Cache-Control", "no-cache");
    }

    private static byte[] read(String resource) {
        try (InputStream in = DemoPageController.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
