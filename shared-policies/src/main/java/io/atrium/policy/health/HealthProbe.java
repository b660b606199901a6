package io.atrium.policy.health;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Container health check that needs nothing but the JRE already in the image:
 * {@code java -cp app.jar io.atrium.policy.health.HealthProbe http://127.0.0.1:8080/health}
 * exits 0 when the URL answers 2xx within the timeout, 1 otherwise.
 */
public final class HealthProbe {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private HealthProbe() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: HealthProbe <health URL>");
            System.exit(2);
        }
        System.exit(isHealthy(URI.create(args[0]), TIMEOUT) ? 0 : 1);
    }

    /** True when {@code url} answers a 2xx status within {@code timeout}. */
    public static boolean isHealthy(URI url, Duration timeout) {
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build()) {
            HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).GET().build();
            int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            return status >= 200 && status < 300;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
