package io.atrium.router.registry;

import io.atrium.router.json.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The registry state as JSON (one document), as the file store keeps it and the admin API shows parts of it. */
final class RegistryCodec {
    private RegistryCodec() {
    }

    static String write(RegistryState state) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format_version", 1);
        root.put("version", state.version());
        List<Object> subgraphs = new ArrayList<>();
        for (SubgraphRecord record : state.subgraphs().values()) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("name", record.name());
            out.put("routing_url", record.routingUrl());
            out.put("sdl", record.sdl());
            out.put("sdl_hash", record.sdlHash());
            out.put("published_at", record.publishedAt());
            out.put("published_by", record.publishedBy());
            subgraphs.add(out);
        }
        root.put("subgraphs", subgraphs);
        root.put("supergraph", state.supergraphSdl());
        root.put("supergraph_hash", state.supergraphHash());
        Map<String, Object> operations = new LinkedHashMap<>();
        state.operations().forEach((client, list) -> {
            List<Object> ops = new ArrayList<>();
            for (RegisteredOperation op : list) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("id", op.id());
                out.put("name", op.name());
                out.put("type", op.type());
                out.put("body", op.body());
                ops.add(out);
            }
            operations.put(client, ops);
        });
        root.put("operations", operations);
        List<Object> history = new ArrayList<>();
        for (HistoryEntry entry : state.history()) {
            history.add(historyJson(entry));
        }
        root.put("history", history);
        return Json.writeString(root);
    }

    static Map<String, Object> historyJson(HistoryEntry entry) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("version", entry.version());
        out.put("action", entry.action());
        out.put("subgraph", entry.subgraph());
        out.put("sdl_hash", entry.sdlHash());
        out.put("supergraph_hash", entry.supergraphHash());
        out.put("at", entry.at());
        out.put("by", entry.by());
        return out;
    }

    @SuppressWarnings("unchecked")
    static RegistryState read(String text) {
        Map<String, Object> root = (Map<String, Object>) Json.read(text);
        Map<String, SubgraphRecord> subgraphs = new LinkedHashMap<>();
        for (Object item : (List<Object>) root.getOrDefault("subgraphs", List.of())) {
            Map<String, Object> in = (Map<String, Object>) item;
            SubgraphRecord record = new SubgraphRecord((String) in.get("name"), (String) in.get("routing_url"),
                    (String) in.get("sdl"), (String) in.get("sdl_hash"), number(in.get("published_at")),
                    (String) in.get("published_by"));
            subgraphs.put(record.name(), record);
        }
        Map<String, List<RegisteredOperation>> operations = new LinkedHashMap<>();
        ((Map<String, Object>) root.getOrDefault("operations", Map.of())).forEach((client, list) -> {
            List<RegisteredOperation> ops = new ArrayList<>();
            for (Object item : (List<Object>) list) {
                Map<String, Object> in = (Map<String, Object>) item;
                ops.add(new RegisteredOperation((String) in.get("id"), (String) in.get("name"), (String) in.get("type"),
                        (String) in.get("body")));
            }
            operations.put(client, ops);
        });
        List<HistoryEntry> history = new ArrayList<>();
        for (Object item : (List<Object>) root.getOrDefault("history", List.of())) {
            Map<String, Object> in = (Map<String, Object>) item;
            history.add(new HistoryEntry(number(in.get("version")), (String) in.get("action"), (String) in.get("subgraph"),
                    (String) in.get("sdl_hash"), (String) in.get("supergraph_hash"), number(in.get("at")),
                    (String) in.get("by")));
        }
        return new RegistryState(number(root.get("version")), subgraphs, (String) root.get("supergraph"),
                (String) root.get("supergraph_hash"), operations, history);
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }
}
