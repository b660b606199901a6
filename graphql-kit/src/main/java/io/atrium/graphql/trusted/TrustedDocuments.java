package io.atrium.graphql.trusted;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The trusted documents of an endpoint, indexed once at start-up: per client name, id → text and the set of texts;
 * documents of the endpoint's manifests (without an Apollo {@code clientName}) serve every client.
 */
public final class TrustedDocuments {
    private record Index(Map<String, String> byId, Set<String> texts) {
        static Index of(Map<String, String> byId) {
            return new Index(Map.copyOf(byId), Set.copyOf(byId.values()));
        }
    }

    private final Index shared;
    private final Map<String, Index> perClient;
    /** The per-client documents as loaded (id → text), kept to merge more in. */
    private final Map<String, Map<String, String>> perClientById;

    private TrustedDocuments(Index shared, Map<String, Map<String, String>> perClientById) {
        this.shared = shared;
        Map<String, Index> indexes = new HashMap<>();
        Map<String, Map<String, String>> copies = new HashMap<>();
        perClientById.forEach((client, byId) -> {
            indexes.put(client, Index.of(byId));
            copies.put(client, Map.copyOf(byId));
        });
        this.perClient = Map.copyOf(indexes);
        this.perClientById = Map.copyOf(copies);
    }

    /**
     * These documents plus {@code more} per client name (e.g. the operations teams published to the registry for
     * their client's app versions); on an id in both, the text here wins.
     */
    public TrustedDocuments with(Map<String, Map<String, String>> more) {
        Map<String, Map<String, String>> merged = new HashMap<>();
        more.forEach((client, byId) -> merged.put(client, new HashMap<>(byId)));
        perClientById.forEach((client, byId) -> merged.computeIfAbsent(client, k -> new HashMap<>()).putAll(byId));
        return new TrustedDocuments(shared, merged);
    }

    /** Reads every manifest the config names; a bad file fails with its path. */
    public static TrustedDocuments load(TrustedDocumentsConfig config) {
        Map<String, String> shared = new HashMap<>();
        Map<String, Map<String, String>> perClient = new HashMap<>();
        for (Path file : config.endpoint().manifests()) {
            for (ManifestReader.Entry entry : ManifestReader.read(file)) {
                Map<String, String> into = entry.clientName() == null ? shared
                        : perClient.computeIfAbsent(entry.clientName(), k -> new HashMap<>());
                into.put(entry.id(), entry.body());
            }
        }
        config.clients().forEach((client, trust) -> {
            for (Path file : trust.manifests()) {
                for (ManifestReader.Entry entry : ManifestReader.read(file)) {
                    perClient.computeIfAbsent(client, k -> new HashMap<>()).put(entry.id(), entry.body());
                }
            }
        });
        return new TrustedDocuments(Index.of(shared), perClient);
    }

    /** The text of a trusted id for a client (its own documents first, then the shared ones), or null. */
    public String byId(String clientName, String id) {
        Index own = clientName == null ? null : perClient.get(clientName);
        String text = own == null ? null : own.byId().get(id);
        return text != null ? text : shared.byId().get(id);
    }

    /** Whether this exact text is a trusted document for the client. */
    public boolean isKnownText(String clientName, String text) {
        Index own = clientName == null ? null : perClient.get(clientName);
        return (own != null && own.texts().contains(text)) || shared.texts().contains(text);
    }

    public int size() {
        int size = shared.byId().size();
        for (Index index : perClient.values()) {
            size += index.byId().size();
        }
        return size;
    }
}
