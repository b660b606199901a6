package io.atrium.router.registry;

import io.atrium.router.json.Json;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/** The registry CLI's human output: one line per fact, errors with their code and location. */
final class RegistryCliOutput {
    private RegistryCliOutput() {
    }

    @SuppressWarnings("unchecked")
    static void print(String what, int status, String body, PrintStream out, PrintStream err) {
        if (what.equals("supergraph") && status == 200) {
            out.print(body);
            return;
        }
        Object parsed = Json.read(body);
        if (!(parsed instanceof Map<?, ?> raw)) {
            out.println(body);
            return;
        }
        Map<String, Object> map = (Map<String, Object>) raw;
        if (status >= 400) {
            err.println(what + ": " + map.get("title") + " (" + map.get("code") + "): " + map.get("detail"));
            errors(map, err);
            return;
        }
        if (what.startsWith("check ")) {
            out.println(what + ": " + (Boolean.TRUE.equals(map.get("passed")) ? "PASSED" : "FAILED"));
            errors(map, out);
            changes(map, out);
            return;
        }
        if (map.containsKey("status")) {
            out.println(what + ": " + map.get("status") + ", registry version " + map.get("version")
                    + (map.get("supergraph_hash") instanceof String hash ? ", supergraph " + hash.substring(0, 12) : ""));
            changes(map, out);
            return;
        }
        if (map.containsKey("subgraphs")) {
            out.println("registry version " + map.get("version"));
            for (Map<String, Object> item : (List<Map<String, Object>>) map.get("subgraphs")) {
                out.println("  " + item.get("name") + "  " + item.get("routing_url") + "  sdl "
                        + String.valueOf(item.get("sdl_hash")).substring(0, 12) + "  by " + item.get("published_by"));
            }
            return;
        }
        if (map.containsKey("history")) {
            for (Map<String, Object> item : (List<Map<String, Object>>) map.get("history")) {
                out.println("  v" + item.get("version") + "  " + java.time.Instant.ofEpochMilli(((Number) item.get("at")).longValue())
                        + "  " + item.get("action") + " " + item.get("subgraph") + "  by " + item.get("by"));
            }
            return;
        }
        if (map.containsKey("sdl")) {
            out.print(map.get("sdl"));
            out.println();
            return;
        }
        out.println(body);
    }

    @SuppressWarnings("unchecked")
    private static void changes(Map<String, Object> map, PrintStream to) {
        for (Map<String, Object> change : (List<Map<String, Object>>) map.getOrDefault("changes", List.of())) {
            to.println("  " + change.get("level") + "  " + change.get("coordinate") + ": " + change.get("message"));
        }
    }

    @SuppressWarnings("unchecked")
    private static void errors(Map<String, Object> map, PrintStream to) {
        for (Map<String, Object> error : (List<Map<String, Object>>) map.getOrDefault("errors",
                map.getOrDefault("composition_errors", List.of()))) {
            String location = String.valueOf(error.get("location"));
            to.println("  [" + error.get("code") + "] " + (location.isEmpty() ? "" : location + ": ") + error.get("message"));
        }
        for (Map<String, Object> broken : (List<Map<String, Object>>) map.getOrDefault("broken_operations", List.of())) {
            to.println("  operation " + broken.get("id") + " (" + broken.get("name") + ") of client " + broken.get("client")
                    + " would break: " + broken.get("errors"));
        }
    }
}
