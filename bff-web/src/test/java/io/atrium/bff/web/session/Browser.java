package io.atrium.bff.web.session;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A browser's cookie handling, as far as the tests need it: keeps the cookies a response sets (Max-Age=0 removes one),
 * sends them back to the same host, follows no redirect by itself. Real browsers also send Secure cookies to
 * http://127.0.0.1 (a potentially trustworthy origin), which is what this does.
 */
final class Browser {
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();
    final Map<String, String> cookies = new LinkedHashMap<>();
    final Map<String, String> setCookieLines = new LinkedHashMap<>();

    HttpResponse<String> get(String url, String... headers) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url)).GET(), url, headers);
    }

    HttpResponse<String> post(String url, String body, String... headers) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body)), url, headers);
    }

    private HttpResponse<String> send(HttpRequest.Builder builder, String url, String... headers)
            throws IOException, InterruptedException {
        builder.timeout(Duration.ofSeconds(30));
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        if (!cookies.isEmpty() && URI.create(url).getPort() != providerPort) {
            builder.header("Cookie", String.join("; ", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList()));
        }
        HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        if (URI.create(url).getPort() != providerPort) {
            remember(response.headers().allValues("set-cookie"));
        }
        return response;
    }

    /** The provider's port: its cookies are its own business. */
    int providerPort = -1;

    private void remember(List<String> lines) {
        for (String line : lines) {
            String pair = line.split(";", 2)[0];
            String name = pair.substring(0, pair.indexOf('='));
            String value = pair.substring(pair.indexOf('=') + 1);
            setCookieLines.put(name, line);
            if (line.contains("Max-Age=0")) {
                cookies.remove(name);
            } else {
                cookies.put(name, value);
            }
        }
    }

    /** Follows one redirect's Location (relative to {@code base}). */
    static String location(HttpResponse<?> response) {
        return response.headers().firstValue("location").orElseThrow(() ->
                new AssertionError("no Location in a " + response.statusCode() + " response: " + response.body()));
    }
}
