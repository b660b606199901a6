package io.atrium.graphql.trusted;

import io.atrium.graphql.config.GraphQLConfigException;
import io.atrium.graphql.json.JsonReader;
import io.atrium.graphql.json.JsonSyntaxException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a trusted-document manifest, recognising its format: Apollo's persisted query manifest
 * ({@code {"format": "apollo-persisted-query-manifest", "version": 1, "operations": [{id, body, name, type,
 * clientName?}]}}, where each id must be the SHA-256 of its body) or a Relay / GraphQL Code Generator map
 * ({@code {"<id>": "<text>"}}).
 */
final class ManifestReader {
    /** One trusted operation; {@code clientName} null = every client that reads the manifest. */
    record Entry(String id, String body, String clientName) {
    }

    private ManifestReader() {
    }

    static List<Entry> read(Path file) {
        Object json;
        try {
            json = JsonReader.read(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new GraphQLConfigException("trusted-document manifest " + file + " cannot be read: " + e.getMessage());
        } catch (JsonSyntaxException e) {
            throw new GraphQLConfigException("trusted-document manifest " + file + ": " + e.getMessage());
        }
        if (!(json instanceof Map<?, ?> map)) {
            throw new GraphQLConfigException("trusted-document manifest " + file + ": expected a JSON object");
        }
        return "apollo-persisted-query-manifest".equals(map.get("format")) ? apollo(map, file) : relay(map, file);
    }

    private static List<Entry> apollo(Map<?, ?> manifest, Path file) {
        if (!Integer.valueOf(1).equals(manifest.get("version")) || !(manifest.get("operations") instanceof List<?> operations)) {
            throw new GraphQLConfigException("Apollo manifest " + file + ": expected version 1 and an 'operations' list");
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < operations.size(); i++) {
            String at = "Apollo manifest " + file + " operations[" + i + "]";
            if (!(operations.get(i) instanceof Map<?, ?> operation) || !(operation.get("id") instanceof String id)
                    || !(operation.get("body") instanceof String body)) {
                throw new GraphQLConfigException(at + ": expected an object with string 'id' and 'body'");
            }
            if (!id.equals(Sha256.hex(body))) {
                throw new GraphQLConfigException(at + ": id " + id + " is not the SHA-256 of its body");
            }
            Object client = operation.get("clientName");
            entries.add(new Entry(id, body, client instanceof String name ? name : null));
        }
        return entries;
    }

    private static List<Entry> relay(Map<?, ?> map, Path file) {
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getValue() instanceof String body)) {
                throw new GraphQLConfigException("manifest " + file + " (id → text map): the value of '" + entry.getKey()
                        + "' is not a string; an Apollo manifest needs \"format\": \"apollo-persisted-query-manifest\"");
            }
            entries.add(new Entry((String) entry.getKey(), body, null));
        }
        return entries;
    }
}
