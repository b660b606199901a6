package io.atrium.graphql.authz;

import io.atrium.graphql.config.ConfigMaps;
import io.atrium.graphql.config.GraphQLConfigException;
import io.atrium.policy.Identity;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code @policy} names evaluated by declarative rules (no scripting):
 *
 * <pre>
 * policies:
 *   admin:       { all: [ { claim: roles, contains: admin } ] }
 *   acme_staff:  { any: [ { claim: tenant, equals: acme }, { claim: sub, matches: "^svc-" } ] }
 * </pre>
 *
 * A claim is {@code sub}, {@code consumer}, {@code scope}, {@code roles} or one the verifier kept. {@code equals}
 * compares text; {@code contains} tests membership of a list (a substring of a text); {@code matches} is a regular
 * expression (compiled at load) over the whole text. A policy the config does not define never allows.
 */
public final class PolicyRules {
    public static final PolicyRules NONE = new PolicyRules(Map.of());

    private sealed interface Rule {
        boolean test(Identity identity);
    }

    private record ClaimRule(String claim, String op, String value, Pattern pattern) implements Rule {
        @Override
        public boolean test(Identity identity) {
            Object claim = claimValue(identity, this.claim);
            if (claim == null) {
                return false;
            }
            return switch (op) {
                case "equals" -> value.equals(String.valueOf(claim));
                case "contains" -> claim instanceof Collection<?> c ? c.stream().anyMatch(v -> value.equals(String.valueOf(v)))
                        : String.valueOf(claim).contains(value);
                default -> pattern.matcher(String.valueOf(claim)).matches();
            };
        }
    }

    private record Combined(boolean all, List<Rule> rules) implements Rule {
        @Override
        public boolean test(Identity identity) {
            return all ? rules.stream().allMatch(r -> r.test(identity)) : rules.stream().anyMatch(r -> r.test(identity));
        }
    }

    private final Map<String, Rule> policies;

    private PolicyRules(Map<String, Rule> policies) {
        this.policies = Map.copyOf(policies);
    }

    boolean allows(String policy, Identity identity) {
        Rule rule = policies.get(policy);
        return rule != null && rule.test(identity);
    }

    public Set<String> names() {
        return policies.keySet();
    }

    static Object claimValue(Identity identity, String name) {
        return switch (name) {
            case "sub" -> identity.subject();
            case "consumer" -> identity.consumer();
            case "scope", "scopes" -> identity.scopes();
            case "roles" -> identity.roles();
            default -> identity.claims().get(name);
        };
    }

    public static PolicyRules read(Object value, String path) {
        if (value == null) {
            return NONE;
        }
        Map<String, Rule> rules = new LinkedHashMap<>();
        for (var entry : ConfigMaps.map(value, path).entrySet()) {
            rules.put(entry.getKey(), rule(entry.getValue(), path + "." + entry.getKey()));
        }
        return new PolicyRules(rules);
    }

    private static Rule rule(Object value, String path) {
        Map<String, Object> block = ConfigMaps.map(value, path);
        if (block.containsKey("all") || block.containsKey("any")) {
            ConfigMaps.checkKeys(block, Set.of("all", "any"), path);
            if (block.size() != 1 || !(block.values().iterator().next() instanceof List<?> list) || list.isEmpty()) {
                throw new GraphQLConfigException(path + ": expected exactly one of all: [rules] or any: [rules]");
            }
            boolean all = block.containsKey("all");
            List<Rule> rules = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                rules.add(rule(list.get(i), path + (all ? ".all[" : ".any[") + i + "]"));
            }
            return new Combined(all, rules);
        }
        ConfigMaps.checkKeys(block, Set.of("claim", "equals", "contains", "matches"), path);
        String claim = ConfigMaps.string(block, "claim", null, path);
        if (claim == null || block.size() != 2) {
            throw new GraphQLConfigException(path + ": expected {claim: name, equals|contains|matches: value}");
        }
        String op = block.containsKey("equals") ? "equals" : block.containsKey("contains") ? "contains" : "matches";
        String text = ConfigMaps.string(block, op, null, path);
        try {
            return new ClaimRule(claim, op, text, op.equals("matches") ? Pattern.compile(text) : null);
        } catch (PatternSyntaxException e) {
            throw new GraphQLConfigException(path + ".matches: not a regular expression: " + e.getDescription());
        }
    }
}
