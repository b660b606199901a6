package io.atrium.graphql.trusted;

import io.atrium.graphql.GraphQLErrorCodes;
import io.atrium.graphql.http.GraphQLHttpRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a request into the document text to run, applying trusted documents and APQ per client name:
 *
 * <ul>
 *   <li>by id ({@code documentId}, or {@code extensions.persistedQuery.sha256Hash} with {@code version: 1}): the
 *       client's manifests first, then the APQ store; an id and a {@code documentId} text together are refused;</li>
 *   <li>APQ: a hash alone that is not stored is {@code PERSISTED_QUERY_NOT_FOUND} (200); the hash with the text is
 *       verified ({@code PERSISTED_QUERY_HASH_MISMATCH}, 400), stored and run; off for a client in
 *       {@code allow_only_known} mode, or when {@code apq.enabled} is false ({@code PERSISTED_QUERY_NOT_SUPPORTED});</li>
 *   <li>{@code allow_only_known}: an unknown id is {@code PERSISTED_QUERY_NOT_IN_LIST} (404), a text that is not
 *       exactly a trusted document's is {@code QUERY_NOT_IN_SAFELIST} (403);</li>
 *   <li>{@code log_unknown}: an operation that is not trusted runs, logged (client, operation name, hash) and counted.</li>
 * </ul>
 *
 * Counters: {@code atrium.graphql.trusted_documents{outcome=unknown_logged|refused}},
 * {@code atrium.graphql.apq{outcome=hit|miss|registered|mismatch}}.
 */
public final class DocumentResolver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DocumentResolver.class);
    private static final Map<String, String> REVALIDATE = Map.of("cache-control", "private, no-cache, must-revalidate");

    private final TrustedDocumentsConfig config;
    private final TrustedDocuments fromFiles;
    /** The manifests' documents, plus the registry's when the endpoint follows one (swapped as it changes). */
    private volatile TrustedDocuments trusted;
    private final ApqStore apq;
    private final Counter unknownLogged;
    private final com.github.benmanes.caffeine.cache.Cache<String, Boolean> recentlyLogged =
            com.github.benmanes.caffeine.cache.Caffeine.newBuilder().maximumSize(10_000)
                    .expireAfterWrite(java.time.Duration.ofMinutes(10)).build();
    private final Counter refused;
    private final Counter apqHit;
    private final Counter apqMiss;
    private final Counter apqRegistered;
    private final Counter apqMismatch;

    public DocumentResolver(TrustedDocumentsConfig config, TrustedDocuments trusted, ApqStore apq, MeterRegistry registry) {
        this.config = config;
        this.fromFiles = trusted;
        this.trusted = trusted;
        this.apq = apq;
        this.unknownLogged = registry.counter("atrium.graphql.trusted_documents", "outcome", "unknown_logged");
        this.refused = registry.counter("atrium.graphql.trusted_documents", "outcome", "refused");
        this.apqHit = registry.counter("atrium.graphql.apq", "outcome", "hit");
        this.apqMiss = registry.counter("atrium.graphql.apq", "outcome", "miss");
        this.apqRegistered = registry.counter("atrium.graphql.apq", "outcome", "registered");
        this.apqMismatch = registry.counter("atrium.graphql.apq", "outcome", "mismatch");
    }

    /** The resolver of a config: its manifests, the APQ store in Redis when it names one, in memory otherwise. */
    public static DocumentResolver of(TrustedDocumentsConfig config, MeterRegistry registry) {
        ApqStore store = config.apqRedisUrl() != null
                ? new RedisApqStore(config.apqRedisUrl(), "atrium:apq:", java.time.Duration.ofSeconds(config.apqTtlSeconds()))
                : new InMemoryApqStore(config.apqMaxEntries());
        return new DocumentResolver(config, TrustedDocuments.load(config), store, registry);
    }

    @Override
    public void close() {
        apq.close();
    }

    /**
     * The registry's trusted operations per client name (id → text; every registered version of the client),
     * trusted from now on next to the manifests' — replacing the registry documents given before.
     */
    public void registryDocuments(Map<String, Map<String, String>> perClient) {
        trusted = fromFiles.with(perClient);
        if (!perClient.isEmpty()) {
            LOG.atInfo().addKeyValue("clients", new java.util.TreeSet<>(perClient.keySet()))
                    .addKeyValue("documents", perClient.values().stream().mapToInt(Map::size).sum())
                    .log("trusted documents from the registry");
        }
    }

    /** Completes at once unless a hash must be looked up in a remote APQ store. */
    public CompletionStage<DocumentResolution> resolve(GraphQLHttpRequest request) {
        String client = request.client().name();
        TrustMode mode = config.forClient(client).mode();
        Object persisted = request.extensions().get("persistedQuery");
        if (request.documentId() != null) {
            if (request.query() != null) {
                return done(refuse(400, GraphQLErrorCodes.CANNOT_SEND_PQ_ID_AND_BODY,
                        "send either 'documentId' or 'query', not both"));
            }
            String text = trusted.byId(client, request.documentId());
            return done(text != null ? new DocumentResolution.Resolved(text) : notInList(request.documentId()));
        }
        if (persisted != null) {
            return byHash(request, client, mode, persisted);
        }
        return done(byText(request, client, mode));
    }

    private static CompletionStage<DocumentResolution> done(DocumentResolution resolution) {
        return CompletableFuture.completedFuture(resolution);
    }

    private CompletionStage<DocumentResolution> byHash(GraphQLHttpRequest request, String client, TrustMode mode,
                                                       Object persisted) {
        if (!(persisted instanceof Map<?, ?> pq) || !(pq.get("sha256Hash") instanceof String hash)) {
            return done(refuse(400, GraphQLErrorCodes.BAD_REQUEST,
                    "'extensions.persistedQuery' must be an object with 'version' 1 and a 'sha256Hash' string"));
        }
        if (!Integer.valueOf(1).equals(pq.get("version"))) {
            return done(refuse(400, GraphQLErrorCodes.PERSISTED_QUERY_NOT_SUPPORTED,
                    "only persisted query version 1 is supported"));
        }
        String text = trusted.byId(client, hash);
        if (text != null && (request.query() == null || request.query().equals(text))) {
            return done(new DocumentResolution.Resolved(text));
        }
        if (text == null && mode == TrustMode.ALLOW_ONLY_KNOWN) {
            return done(notInList(hash));
        }
        return apq(request, client, mode, hash);
    }

    private CompletionStage<DocumentResolution> apq(GraphQLHttpRequest request, String client, TrustMode mode, String hash) {
        if (!config.apqEnabled() || mode == TrustMode.ALLOW_ONLY_KNOWN) {
            return done(refuse(400, GraphQLErrorCodes.PERSISTED_QUERY_NOT_SUPPORTED,
                    "automatic persisted queries are not supported here; send the operation's text"));
        }
        if (request.query() == null) {
            return apq.get(hash).thenApply(stored -> {
                if (stored == null) {
                    apqMiss.increment();
                    return new DocumentResolution.Refused(200, GraphQLErrorCodes.PERSISTED_QUERY_NOT_FOUND,
                            "PersistedQueryNotFound", REVALIDATE);
                }
                apqHit.increment();
                logIfUnknown(mode, client, request.operationName(), hash);
                return new DocumentResolution.Resolved(stored);
            });
        }
        if (!hash.equals(Sha256.hex(request.query()))) {
            apqMismatch.increment();
            return done(refuse(400, GraphQLErrorCodes.PERSISTED_QUERY_HASH_MISMATCH,
                    "'sha256Hash' is not the SHA-256 of 'query'"));
        }
        apq.put(hash, request.query());
        apqRegistered.increment();
        logIfUnknown(mode, client, request.operationName(), hash);
        return done(new DocumentResolution.Resolved(request.query()));
    }

    private DocumentResolution byText(GraphQLHttpRequest request, String client, TrustMode mode) {
        String text = request.query();
        if (text == null || mode == TrustMode.OFF || trusted.isKnownText(client, text)) {
            return new DocumentResolution.Resolved(text);
        }
        if (mode == TrustMode.ALLOW_ONLY_KNOWN) {
            refused.increment();
            return new DocumentResolution.Refused(403, GraphQLErrorCodes.QUERY_NOT_IN_SAFELIST,
                    "this endpoint runs only trusted operations for this client; send a trusted document's id "
                            + "(or its exact text)", REVALIDATE);
        }
        logIfUnknown(mode, client, request.operationName(), Sha256.hex(text));
        return new DocumentResolution.Resolved(text);
    }

    private void logIfUnknown(TrustMode mode, String client, String operationName, String hash) {
        if (mode != TrustMode.LOG_UNKNOWN) {
            return;
        }
        unknownLogged.increment();
        // once per operation and client every 10 minutes: a page that keeps sending one unregistered query is one
        // line, not a line per request (the counter counts every request)
        if (recentlyLogged.asMap().putIfAbsent(client + '\n' + hash, Boolean.TRUE) != null) {
            return;
        }
        LOG.atWarn().addKeyValue("client", client).addKeyValue("operation", operationName).addKeyValue("hash", hash)
                .log("operation not in the client's trusted documents");
    }

    private DocumentResolution notInList(String id) {
        refused.increment();
        return new DocumentResolution.Refused(404, GraphQLErrorCodes.PERSISTED_QUERY_NOT_IN_LIST,
                "no trusted document with id '" + id + "' for this client", REVALIDATE);
    }

    private static DocumentResolution refuse(int status, String code, String message) {
        return new DocumentResolution.Refused(status, code, message, REVALIDATE);
    }
}
