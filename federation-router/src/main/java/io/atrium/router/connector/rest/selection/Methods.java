package io.atrium.router.connector.rest.selection;

import static io.atrium.router.connector.rest.selection.Evaluator.MISSING;

import io.atrium.router.connector.rest.selection.Ast.ArrayLit;
import io.atrium.router.connector.rest.selection.Ast.Expr;
import io.atrium.router.connector.rest.selection.Ast.MethodStep;
import io.atrium.router.connector.rest.selection.Ast.PathSelection;
import io.atrium.router.connector.rest.selection.Ast.VarHead;
import io.atrium.router.json.Json;
import io.atrium.router.json.JsonException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The {@code ->} methods: Apollo's public set ({@code echo map match first last slice size get entries jsonStringify
 * jsonParse joinNotNull filter find eq ne gt gte lt lte and or not in contains add sub mul div mod parseInt toString
 * as}) and its "future" set ({@code has keys values matchIf typeof}). Arguments are expressions evaluated lazily
 * with {@code @} bound to the method's input (to each element for {@code map}, {@code filter}, {@code find}). A method
 * that cannot apply to its input answers missing, so the output key is left out.
 */
final class Methods {

    private static final Set<String> KNOWN = Set.of("echo", "map", "match", "matchIf", "first", "last", "slice", "size",
            "get", "entries", "keys", "values", "has", "jsonStringify", "jsonParse", "joinNotNull", "filter", "find",
            "eq", "ne", "gt", "gte", "lt", "lte", "and", "or", "not", "in", "contains", "add", "sub", "mul", "div", "mod",
            "parseInt", "toString", "as", "typeof");

    private Methods() {
    }

    static boolean known(String name) {
        return KNOWN.contains(name);
    }

    static Object apply(Evaluator ev, MethodStep method, Object input, Object dollar) {
        List<Expr> args = method.args();
        if (input == MISSING && !method.name().equals("echo")) {
            return MISSING;
        }
        return switch (method.name()) {
            case "echo" -> args.isEmpty() ? input : ev.expr(args.getFirst(), dollar, input);
            case "map" -> {
                if (!(input instanceof List<?> list)) {
                    yield ev.expr(args.getFirst(), dollar, input);
                }
                List<Object> out = new ArrayList<>(list.size());
                for (Object item : list) {
                    Object v = ev.expr(args.getFirst(), dollar, item);
                    out.add(v == MISSING ? null : v);
                }
                yield out;
            }
            case "filter", "find" -> {
                if (!(input instanceof List<?> list)) {
                    yield MISSING;
                }
                List<Object> out = new ArrayList<>();
                for (Object item : list) {
                    if (Boolean.TRUE.equals(ev.expr(args.getFirst(), dollar, item))) {
                        if (method.name().equals("find")) {
                            yield item;
                        }
                        out.add(item);
                    }
                }
                yield method.name().equals("find") ? MISSING : out;
            }
            case "match", "matchIf" -> match(ev, args, input, dollar, method.name().equals("matchIf"));
            case "first" -> input instanceof List<?> l ? (l.isEmpty() ? MISSING : l.getFirst())
                    : input instanceof String s ? (s.isEmpty() ? MISSING : s.substring(0, 1)) : input;
            case "last" -> input instanceof List<?> l ? (l.isEmpty() ? MISSING : l.getLast())
                    : input instanceof String s ? (s.isEmpty() ? MISSING : s.substring(s.length() - 1)) : input;
            case "slice" -> slice(input, arg(ev, args, 0, dollar, input), arg(ev, args, 1, dollar, input));
            case "size" -> input instanceof List<?> l ? (Object) (long) l.size() : input instanceof String s ? (Object) (long) s.length()
                    : input instanceof Map<?, ?> m ? (Object) (long) m.size() : MISSING;
            case "get" -> get(input, arg(ev, args, 0, dollar, input));
            case "entries" -> {
                if (!(input instanceof Map<?, ?> map)) {
                    yield MISSING;
                }
                List<Object> out = new ArrayList<>(map.size());
                map.forEach((k, v) -> {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("key", k);
                    entry.put("value", v);
                    out.add(entry);
                });
                yield out;
            }
            case "keys" -> input instanceof Map<?, ?> m ? new ArrayList<Object>(m.keySet()) : MISSING;
            case "values" -> input instanceof Map<?, ?> m ? new ArrayList<Object>(m.values()) : MISSING;
            case "has" -> {
                Object key = arg(ev, args, 0, dollar, input);
                yield input instanceof Map<?, ?> m ? m.containsKey(key)
                        : input instanceof List<?> l && key instanceof Number n ? n.longValue() >= 0 && n.longValue() < l.size() : false;
            }
            case "jsonStringify" -> Json.writeString(input);
            case "jsonParse" -> {
                try {
                    yield input instanceof String s ? Json.read(s) : MISSING;
                } catch (JsonException e) {
                    yield MISSING;
                }
            }
            case "joinNotNull" -> {
                if (!(input instanceof List<?> list)) {
                    yield MISSING;
                }
                Object separator = arg(ev, args, 0, dollar, input);
                StringBuilder out = new StringBuilder();
                for (Object item : list) {
                    if (item != null) {
                        if (!out.isEmpty()) {
                            out.append(separator == null || separator == MISSING ? "," : separator.toString());
                        }
                        out.append(text(item));
                    }
                }
                yield out.toString();
            }
            case "eq" -> same(input, arg(ev, args, 0, dollar, input));
            case "ne" -> !same(input, arg(ev, args, 0, dollar, input));
            case "gt", "gte", "lt", "lte" -> compare(method.name(), input, arg(ev, args, 0, dollar, input));
            case "and", "or" -> {
                boolean and = method.name().equals("and");
                boolean result = Boolean.TRUE.equals(input);
                for (int i = 0; i < args.size(); i++) {
                    boolean next = Boolean.TRUE.equals(arg(ev, args, i, dollar, input));
                    result = and ? result && next : result || next;
                }
                yield result;
            }
            case "not" -> !Boolean.TRUE.equals(input);
            case "in" -> arg(ev, args, 0, dollar, input) instanceof List<?> l && l.stream().anyMatch(v -> same(input, v));
            case "contains" -> input instanceof List<?> l && l.stream().anyMatch(v -> same(v, arg(ev, args, 0, dollar, input)));
            case "add", "sub", "mul", "div", "mod" -> arithmetic(ev, method.name(), input, args, dollar);
            case "parseInt" -> parseInt(input, arg(ev, args, 0, dollar, input));
            case "toString" -> input == null ? "" : input instanceof Map || input instanceof List ? MISSING : text(input);
            case "as" -> {
                if (args.isEmpty() || !(args.getFirst() instanceof PathSelection p) || !(p.path().head() instanceof VarHead v)
                        || v.name().isEmpty()) {
                    yield MISSING;
                }
                ev.bind("$" + v.name(), args.size() > 1 ? ev.expr(args.get(1), dollar, input) : input);
                yield input;
            }
            case "typeof" -> input == null ? "null" : input instanceof Map ? "object" : input instanceof List ? "array"
                    : input instanceof String ? "string" : input instanceof Number ? "number" : input instanceof Boolean ? "boolean" : "null";
            default -> MISSING;
        };
    }

    private static Object arg(Evaluator ev, List<Expr> args, int index, Object dollar, Object input) {
        return index < args.size() ? ev.expr(args.get(index), dollar, input) : MISSING;
    }

    private static Object match(Evaluator ev, List<Expr> args, Object input, Object dollar, boolean conditions) {
        for (Expr arg : args) {
            if (!(arg instanceof ArrayLit pair)) {
                continue;
            }
            if (pair.items().size() == 1) {
                return ev.expr(pair.items().getFirst(), dollar, input);
            }
            Object candidate = ev.expr(pair.items().getFirst(), dollar, input);
            if (conditions ? Boolean.TRUE.equals(candidate) : same(input, candidate)) {
                return ev.expr(pair.items().get(1), dollar, input);
            }
        }
        return MISSING;
    }

    private static Object slice(Object input, Object start, Object end) {
        int length = input instanceof List<?> l ? l.size() : input instanceof String s ? s.length() : -1;
        if (length < 0) {
            return MISSING;
        }
        int from = index(start, 0, length);
        int to = Math.max(from, index(end, length, length));
        return input instanceof List<?> l ? new ArrayList<Object>(l.subList(from, to)) : ((String) input).substring(from, to);
    }

    private static int index(Object value, int otherwise, int length) {
        if (!(value instanceof Number n)) {
            return otherwise;
        }
        long i = n.longValue();
        if (i < 0) {
            i += length;
        }
        return (int) Math.max(0, Math.min(length, i));
    }

    private static Object get(Object input, Object key) {
        if (input instanceof Map<?, ?> map && key instanceof String name) {
            return Evaluator.get(map, name);
        }
        if (key instanceof Number n && (input instanceof List<?> || input instanceof String)) {
            int length = input instanceof List<?> l ? l.size() : ((String) input).length();
            long i = n.longValue() < 0 ? n.longValue() + length : n.longValue();
            if (i < 0 || i >= length) {
                return MISSING;
            }
            return input instanceof List<?> l ? l.get((int) i) : ((String) input).substring((int) i, (int) i + 1);
        }
        return MISSING;
    }

    /** JSON value equality: numbers by value (1 equals 1.0), objects and arrays deeply. */
    static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return decimal(x).compareTo(decimal(y)) == 0;
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!same(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (var entry : x.entrySet()) {
                if (!y.containsKey(entry.getKey()) || !same(entry.getValue(), y.get(entry.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(a, b);
    }

    private static Object compare(String op, Object a, Object b) {
        int c;
        if (a instanceof Number x && b instanceof Number y) {
            c = decimal(x).compareTo(decimal(y));
        } else if (a instanceof String x && b instanceof String y) {
            c = x.compareTo(y);
        } else {
            return false;
        }
        return switch (op) {
            case "gt" -> c > 0;
            case "gte" -> c >= 0;
            case "lt" -> c < 0;
            default -> c <= 0;
        };
    }

    private static Object arithmetic(Evaluator ev, String op, Object input, List<Expr> args, Object dollar) {
        if (!(input instanceof Number first)) {
            return MISSING;
        }
        Number result = first;
        for (Expr arg : args) {
            if (!(ev.expr(arg, dollar, input) instanceof Number next)) {
                return MISSING;
            }
            boolean integral = integral(result) && integral(next);
            if (integral && !op.equals("div")) {
                long x = result.longValue();
                long y = next.longValue();
                if (op.equals("mod") && y == 0) {
                    return MISSING;
                }
                result = switch (op) {
                    case "add" -> x + y;
                    case "sub" -> x - y;
                    case "mul" -> x * y;
                    default -> x % y;
                };
            } else {
                double x = result.doubleValue();
                double y = next.doubleValue();
                if ((op.equals("div") || op.equals("mod")) && y == 0) {
                    return MISSING;
                }
                double r = switch (op) {
                    case "add" -> x + y;
                    case "sub" -> x - y;
                    case "mul" -> x * y;
                    case "div" -> x / y;
                    default -> x % y;
                };
                result = integral && r == Math.rint(r) ? (Number) (long) r : (Number) r;
            }
        }
        return result;
    }

    private static Object parseInt(Object input, Object base) {
        int radix = base instanceof Number n ? n.intValue() : 10;
        if (input instanceof Number n) {
            return n.longValue();
        }
        if (input instanceof String s && radix >= 2 && radix <= 36) {
            try {
                return Long.parseLong(s.trim(), radix);
            } catch (NumberFormatException e) {
                return MISSING;
            }
        }
        return MISSING;
    }

    private static boolean integral(Number n) {
        return n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte || n instanceof BigInteger;
    }

    private static BigDecimal decimal(Number n) {
        return n instanceof BigDecimal d ? d : integral(n) ? new BigDecimal(n.toString()) : BigDecimal.valueOf(n.doubleValue());
    }

    /** A scalar as text: numbers without a trailing {@code .0} when whole. */
    static String text(Object value) {
        if (value instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) {
            return Long.toString(d.longValue());
        }
        return String.valueOf(value);
    }
}
