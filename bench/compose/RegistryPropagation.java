// How long a publish takes to reach every router following a registry: publishes a changed subgraph through one
// router's admin API, then polls every router's /health until it serves the new supergraph (its hash), ROUNDS times.
// Prints one JSON line. Run: java RegistryPropagation.java <admin-url> <rounds> <router-url>...
// (token in ATRIUM_ROUTER_ADMIN_TOKEN)
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class RegistryPropagation {
    private static final Pattern HASH = Pattern.compile("\"supergraph_hash\":\"([0-9a-f]+)\"");

    public static void main(String[] args) throws Exception {
        String admin = args[0];
        int rounds = Integer.parseInt(args[1]);
        List<String> routers = Arrays.asList(args).subList(2, args.length);
        String token = System.getenv("ATRIUM_ROUTER_ADMIN_TOKEN");
        HttpClient client = HttpClient.newHttpClient();
        List<Double> times = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            String sdl = "extend schema @link(url: \\\"https://specs.apollo.dev/federation/v2.7\\\", import: [\\\"@key\\\"])\\n"
                    + "type Query { items: [Item] }\\n\\\"\\\"\\\"round " + round + "\\\"\\\"\\\"\\n"
                    + "type Item @key(fields: \\\"id\\\") { id: ID! name: String }";
            long start = System.nanoTime();
            HttpResponse<String> published = client.send(HttpRequest.newBuilder(URI.create(admin + "/registry/subgraphs/items"))
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"routing_url\": \"http://127.0.0.1:9/graphql\", \"sdl\": \""
                            + sdl + "\"}"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            Matcher hash = HASH.matcher(published.body());
            if (published.statusCode() != 200 || !hash.find()) {
                throw new IllegalStateException("publish failed: " + published.statusCode() + " " + published.body());
            }
            String expected = "\"supergraph\":\"" + hash.group(1).substring(0, 24) + "\"";
            for (String router : routers) {
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (!client.send(HttpRequest.newBuilder(URI.create(router + "/health")).build(),
                        HttpResponse.BodyHandlers.ofString()).body().contains(expected)) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(router + " did not serve round " + round + " within 10 s");
                    }
                    Thread.sleep(2);
                }
            }
            times.add((System.nanoTime() - start) / 1e6);
        }
        List<Double> sorted = new ArrayList<>(times);
        sorted.sort(null);
        System.out.printf("{\"routers\":%d,\"median_ms\":%.1f,\"max_ms\":%.1f,\"times\":%s}%n", routers.size(),
                sorted.get(sorted.size() / 2), sorted.getLast(), times);
    }
}
