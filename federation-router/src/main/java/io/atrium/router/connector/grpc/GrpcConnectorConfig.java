package io.atrium.router.connector.grpc;

import io.atrium.router.config.ConfigException;
import static io.atrium.router.config.StrictYaml.check;
import static io.atrium.router.config.StrictYaml.map;
import static io.atrium.router.config.StrictYaml.string;
import static io.atrium.router.config.StrictYaml.strings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * What a proto-first gRPC subgraph needs beyond the descriptors (strict YAML; unknown keys fail with their path):
 *
 * <pre>
 * format_version: 1
 * subgraph: payments
 * target: 127.0.0.1:50051
 * services: [atrium.payments.v1.Payments]           # default: every service
 * metadata: [authorization, x-request-id]           # client headers sent as gRPC metadata
 * operations:                                       # per method: root field name, kind, or not exposed
 *   atrium.payments.v1.Payments.Authorize: {field: authorizePayment}
 *   atrium.payments.v1.Payments.GetPayment: {field: payment, kind: query}
 *   atrium.payments.v1.Payments.ListPaymentsByUser: {expose: false}
 * entities:
 *   Payment: {key: id, lookup: atrium.payments.v1.Payments.GetPayment, key_field: payment_id}
 *   User:                                           # an entity owned elsewhere, extended with RPC-backed fields
 *     key: id
 *     fields:
 *       payments: {method: atrium.payments.v1.Payments.ListPaymentsByUser, key_field: user_id, result: payments}
 *   Order:                                          # a batched field: one call answers many entities
 *     key: id
 *     fields:
 *       payment: {method: atrium.payments.v1.Payments.BatchGetPaymentsByOrder, key_field: order_ids,
 *                 result: payments, match_field: order_id, max_batch: 100}
 * </pre>
 */
public record GrpcConnectorConfig(String subgraph, String target, List<String> services, List<String> metadata,
                                  Map<String, Operation> operations, Map<String, Entity> entities) {

    public GrpcConnectorConfig {
        services = List.copyOf(services);
        metadata = List.copyOf(metadata);
        operations = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(operations));
        entities = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entities));
    }

    /** Root field kind forced by config (the first rule of the Query-or-Mutation order). */
    public enum Kind { QUERY, MUTATION }

    /**
     * @param field  root field name (default: the method name in lowerCamelCase)
     * @param kind   forces Query or Mutation; null = decided from the HTTP rule, idempotency level, name
     * @param expose false: no root field (the method may still serve entities)
     */
    public record Operation(String field, Kind kind, boolean expose) {
    }

    /**
     * @param key       the key field (GraphQL name)
     * @param lookup    the lookup RPC for the entity's own message type, or null for an entity owned elsewhere
     * @param keyField  the lookup request's field that takes the key (proto name)
     * @param fields    RPC-backed fields added to the entity
     */
    public record Entity(String key, String lookup, String keyField, Map<String, EntityField> fields) {
        public Entity {
            fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }
    }

    /** Entities per call of a batched field unless {@code max_batch} says otherwise. */
    public static final int DEFAULT_MAX_BATCH = 100;

    /**
     * @param method     the RPC
     * @param keyField   the request field that takes the entity's key (proto name); a repeated field makes the field
     *                   batched: one call carries the keys of many entities
     * @param result     the response field that is the value (proto name), or null for the whole response; for a
     *                   batched field the repeated message field holding the answers
     * @param matchField batched only: the field of each answer that holds its entity's key (proto name); an entity
     *                   without an answer gets null
     * @param maxBatch   batched only: keys per call (larger batches are split); default {@value #DEFAULT_MAX_BATCH}
     * @param many       batched only: the field is a list of every answer carrying the entity's key (one-to-many, e.g.
     *                   a user's payments; none: an empty list) instead of the first one
     */
    public record EntityField(String method, String keyField, String result, String matchField, int maxBatch,
                              boolean many) {
        public boolean batched() {
            return matchField != null;
        }
    }

    public static GrpcConnectorConfig load(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new ConfigException("cannot read gRPC connector config " + file + ": " + e.getMessage());
        }
    }

    public static GrpcConnectorConfig parse(String yaml) {
        Map<String, Object> top = map(new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml), "");
        check(top, Set.of("format_version", "subgraph", "target", "services", "metadata", "operations", "entities"), "");
        if (!Integer.valueOf(1).equals(top.get("format_version"))) {
            throw new ConfigException("format_version: expected 1, got " + top.get("format_version"));
        }
        Map<String, Operation> operations = new LinkedHashMap<>();
        for (var entry : map(top.getOrDefault("operations", Map.of()), "operations").entrySet()) {
            String path = "operations." + entry.getKey();
            Map<String, Object> op = map(entry.getValue(), path);
            check(op, Set.of("field", "kind", "expose"), path);
            Kind kind = null;
            if (op.containsKey("kind")) {
                String value = string(op.get("kind"), path + ".kind");
                kind = switch (value) {
                    case "query" -> Kind.QUERY;
                    case "mutation" -> Kind.MUTATION;
                    default -> throw new ConfigException(path + ".kind: expected query or mutation, got " + value);
                };
            }
            boolean expose = !op.containsKey("expose") || Boolean.TRUE.equals(op.get("expose"));
            operations.put(entry.getKey(), new Operation(op.containsKey("field") ? string(op.get("field"), path + ".field")
                    : null, kind, expose));
        }
        Map<String, Entity> entities = new LinkedHashMap<>();
        for (var entry : map(top.getOrDefault("entities", Map.of()), "entities").entrySet()) {
            String path = "entities." + entry.getKey();
            Map<String, Object> e = map(entry.getValue(), path);
            check(e, Set.of("key", "lookup", "key_field", "fields"), path);
            Map<String, EntityField> fields = new LinkedHashMap<>();
            for (var field : map(e.getOrDefault("fields", Map.of()), path + ".fields").entrySet()) {
                String fieldPath = path + ".fields." + field.getKey();
                Map<String, Object> f = map(field.getValue(), fieldPath);
                check(f, Set.of("method", "key_field", "result", "match_field", "max_batch", "many"), fieldPath);
                String matchField = f.containsKey("match_field") ? string(f.get("match_field"), fieldPath + ".match_field")
                        : null;
                int maxBatch = DEFAULT_MAX_BATCH;
                if (f.containsKey("max_batch")) {
                    if (matchField == null) {
                        throw new ConfigException(fieldPath + ".max_batch: only for batched fields (with match_field)");
                    }
                    if (!(f.get("max_batch") instanceof Integer n) || n < 1) {
                        throw new ConfigException(fieldPath + ".max_batch: expected a positive integer, got "
                                + f.get("max_batch"));
                    }
                    maxBatch = n;
                }
                boolean many = false;
                if (f.containsKey("many")) {
                    if (matchField == null) {
                        throw new ConfigException(fieldPath + ".many: only for batched fields (with match_field)");
                    }
                    if (!(f.get("many") instanceof Boolean b)) {
                        throw new ConfigException(fieldPath + ".many: expected true or false, got " + f.get("many"));
                    }
                    many = b;
                }
                fields.put(field.getKey(), new EntityField(string(f.get("method"), fieldPath + ".method"),
                        string(f.get("key_field"), fieldPath + ".key_field"),
                        f.containsKey("result") ? string(f.get("result"), fieldPath + ".result") : null,
                        matchField, maxBatch, many));
            }
            String lookup = e.containsKey("lookup") ? string(e.get("lookup"), path + ".lookup") : null;
            String keyField = e.containsKey("key_field") ? string(e.get("key_field"), path + ".key_field") : null;
            if ((lookup == null) != (keyField == null)) {
                throw new ConfigException(path + ": lookup and key_field go together");
            }
            entities.put(entry.getKey(), new Entity(string(e.get("key"), path + ".key"), lookup, keyField, fields));
        }
        return new GrpcConnectorConfig(string(top.get("subgraph"), "subgraph"), string(top.get("target"), "target"),
                strings(top.get("services"), "services"), strings(top.get("metadata"), "metadata"), operations, entities);
    }
}
