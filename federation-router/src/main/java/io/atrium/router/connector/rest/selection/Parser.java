package io.atrium.router.connector.rest.selection;

import io.atrium.router.connector.rest.selection.Ast.AliasedPath;
import io.atrium.router.connector.rest.selection.Ast.ArrayLit;
import io.atrium.router.connector.rest.selection.Ast.AtHead;
import io.atrium.router.connector.rest.selection.Ast.Expr;
import io.atrium.router.connector.rest.selection.Ast.ExprHead;
import io.atrium.router.connector.rest.selection.Ast.Field;
import io.atrium.router.connector.rest.selection.Ast.Group;
import io.atrium.router.connector.rest.selection.Ast.Head;
import io.atrium.router.connector.rest.selection.Ast.KeyHead;
import io.atrium.router.connector.rest.selection.Ast.KeyStep;
import io.atrium.router.connector.rest.selection.Ast.LitHead;
import io.atrium.router.connector.rest.selection.Ast.Literal;
import io.atrium.router.connector.rest.selection.Ast.MethodStep;
import io.atrium.router.connector.rest.selection.Ast.Named;
import io.atrium.router.connector.rest.selection.Ast.ObjectLit;
import io.atrium.router.connector.rest.selection.Ast.OpChain;
import io.atrium.router.connector.rest.selection.Ast.OptionalStep;
import io.atrium.router.connector.rest.selection.Ast.Path;
import io.atrium.router.connector.rest.selection.Ast.PathSelection;
import io.atrium.router.connector.rest.selection.Ast.Spread;
import io.atrium.router.connector.rest.selection.Ast.Step;
import io.atrium.router.connector.rest.selection.Ast.SubSelection;
import io.atrium.router.connector.rest.selection.Ast.VarHead;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A recursive-descent parser of the JSONSelection grammar (Apollo router's {@code json_selection/README.md}):
 * whitespace and {@code #} comments between tokens, except inside identifiers and between {@code $} and its name.
 */
final class Parser {

    private final String text;
    private int pos;
    final Set<String> variables = new LinkedHashSet<>();
    /** Whether some {@code ->as} binds a variable (then the selection is evaluated in order, never lazily). */
    boolean binds;

    Parser(String text) {
        this.text = text;
    }

    /** The top level: named selections, or one anonymous path (e.g. {@code author.name}, {@code $.data { id }}). */
    Object parseTop() {
        List<Named> named = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        skipSeparators();
        while (pos < text.length()) {
            starts.add(pos);
            named.add(parseNamed(true));
            skipSeparators();
        }
        if (named.size() == 1 && named.getFirst() instanceof Spread spread && !text.startsWith("...", starts.getFirst())) {
            return spread.path();
        }
        for (int i = 0; i < named.size(); i++) {
            if (named.get(i) instanceof Spread spread && spread.path().sub() == null && !text.startsWith("...", starts.get(i))) {
                throw error(starts.get(i), "a path selection needs an alias (alias: path) unless it is the whole selection");
            }
        }
        return new SubSelection(named);
    }

    private static boolean isSingleKey(PathSelection path) {
        return path.path().head() instanceof KeyHead && path.path().steps().isEmpty();
    }

    private SubSelection parseSub() {
        expect('{');
        List<Named> named = new ArrayList<>();
        skipSeparators();
        while (peek() != '}') {
            if (pos >= text.length()) {
                throw error(pos, "unclosed '{'");
            }
            named.add(parseNamed(false));
            skipSeparators();
        }
        pos++;
        return new SubSelection(named);
    }

    private Named parseNamed(boolean top) {
        skip();
        if (text.startsWith("...", pos)) {
            pos += 3;
            return new Spread(parsePathSelection());
        }
        int start = pos;
        if (isKeyStart(peek())) {
            String key = parseKey();
            skip();
            if (peek() == ':') {
                pos++;
                skip();
                if (peek() == '{') {
                    return new Group(key, parseSub());
                }
                PathSelection path = parsePathSelection();
                if (path.path().head() instanceof KeyHead k && path.path().steps().isEmpty()) {
                    return new Field(key, k.key(), path.sub());
                }
                return new AliasedPath(key, path);
            }
            pos = start;
        }
        PathSelection path = parsePathSelection();
        if (path.path().head() instanceof KeyHead k && path.path().steps().isEmpty()) {
            return new Field(null, k.key(), path.sub());
        }
        if (path.sub() == null && !top) {
            throw error(start, "a path selection inside { } needs an alias (alias: path) or a sub-selection");
        }
        return new Spread(path);
    }

    private PathSelection parsePathSelection() {
        skip();
        Head head;
        char c = peek();
        if (c == '$') {
            pos++;
            if (peek() == '(') {
                pos++;
                Expr expr = parseExpr();
                skip();
                expect(')');
                head = new ExprHead(expr);
            } else if (isIdentStart(peek())) {
                String name = parseIdentifier();
                variables.add("$" + name);
                head = new VarHead(name);
            } else {
                head = new VarHead("");
            }
        } else if (c == '@') {
            pos++;
            head = new AtHead();
        } else if (isKeyStart(c)) {
            head = new KeyHead(parseKey());
        } else {
            throw error(pos, c == 0 ? "unexpected end of selection" : "unexpected '" + c + "'");
        }
        return withSub(new Path(head, parseTail()));
    }

    private PathSelection withSub(Path path) {
        int save = pos;
        skip();
        if (peek() == '{') {
            return new PathSelection(path, parseSub());
        }
        pos = save;
        return new PathSelection(path, null);
    }

    private List<Step> parseTail() {
        List<Step> steps = new ArrayList<>();
        while (true) {
            int save = pos;
            skip();
            char c = peek();
            if (c == '?' && !(peekAt(pos + 1) == '?' || peekAt(pos + 1) == '!')) {
                pos++;
                if (!steps.isEmpty() && steps.getLast() instanceof OptionalStep) {
                    throw error(pos - 1, "'?' may not repeat");
                }
                steps.add(new OptionalStep());
            } else if (c == '.' && peekAt(pos + 1) != '.' && !Character.isDigit(peekAt(pos + 1))) {
                pos++;
                skip();
                steps.add(new KeyStep(parseKey()));
            } else if (c == '-' && peekAt(pos + 1) == '>') {
                pos += 2;
                skip();
                String name = parseIdentifier();
                List<Expr> args = new ArrayList<>();
                int beforeArgs = pos;
                skip();
                if (peek() == '(') {
                    pos++;
                    skip();
                    while (peek() != ')') {
                        args.add(parseExpr());
                        skip();
                        if (peek() == ',') {
                            pos++;
                            skip();
                        } else if (peek() != ')') {
                            throw error(pos, "expected ',' or ')' in the arguments of ->" + name);
                        }
                    }
                    pos++;
                } else {
                    pos = beforeArgs;
                }
                if (!Methods.known(name)) {
                    throw error(pos, "unknown method ->" + name);
                }
                binds |= name.equals("as");
                steps.add(new MethodStep(name, args));
            } else {
                pos = save;
                return steps;
            }
        }
    }

    /** {@code LitExpr}, with {@code ??} / {@code ?!} chains (one operator per chain). */
    Expr parseExpr() {
        Expr first = parseOperand();
        int save = pos;
        skip();
        if (!(peek() == '?' && (peekAt(pos + 1) == '?' || peekAt(pos + 1) == '!'))) {
            pos = save;
            return first;
        }
        boolean noneOnly = peekAt(pos + 1) == '!';
        List<Expr> operands = new ArrayList<>(List.of(first));
        while (peek() == '?' && (peekAt(pos + 1) == '?' || peekAt(pos + 1) == '!')) {
            if ((peekAt(pos + 1) == '!') != noneOnly) {
                throw error(pos, "'??' and '?!' cannot be mixed in one chain");
            }
            pos += 2;
            skip();
            operands.add(parseOperand());
            save = pos;
            skip();
        }
        pos = save;
        return new OpChain(noneOnly, operands);
    }

    private Expr parseOperand() {
        skip();
        char c = peek();
        Expr literal = null;
        if (c == '"' || c == '\'') {
            literal = new Literal(parseString());
        } else if (Character.isDigit(c) || (c == '-' && (Character.isDigit(peekAt(pos + 1)) || peekAt(pos + 1) == '.'))
                || (c == '.' && Character.isDigit(peekAt(pos + 1)))) {
            literal = new Literal(parseNumber());
        } else if (word("true")) {
            literal = new Literal(Boolean.TRUE);
        } else if (word("false")) {
            literal = new Literal(Boolean.FALSE);
        } else if (word("null")) {
            literal = new Literal(null);
        } else if (c == '{') {
            literal = parseObject();
        } else if (c == '[') {
            literal = parseArray();
        }
        if (literal == null) {
            return parsePathSelection();
        }
        List<Step> tail = parseTail();
        return tail.isEmpty() ? literal : new PathSelection(new Path(new LitHead(literal), tail), null);
    }

    private boolean word(String word) {
        if (text.startsWith(word, pos) && !isIdentPart(peekAt(pos + word.length()))) {
            pos += word.length();
            return true;
        }
        return false;
    }

    private Expr parseObject() {
        expect('{');
        Map<String, Expr> properties = new LinkedHashMap<>();
        skip();
        while (peek() != '}') {
            String key = parseKey();
            skip();
            if (peek() == ':') {
                pos++;
                properties.put(key, parseExpr());
            } else {
                properties.put(key, new PathSelection(new Path(new KeyHead(key), List.of()), null));
            }
            skip();
            if (peek() == ',') {
                pos++;
                skip();
            } else if (peek() != '}') {
                throw error(pos, "expected ',' or '}' in an object literal");
            }
        }
        pos++;
        return new ObjectLit(properties);
    }

    private Expr parseArray() {
        expect('[');
        List<Expr> items = new ArrayList<>();
        skip();
        while (peek() != ']') {
            items.add(parseExpr());
            skip();
            if (peek() == ',') {
                pos++;
                skip();
            } else if (peek() != ']') {
                throw error(pos, "expected ',' or ']' in an array literal");
            }
        }
        pos++;
        return new ArrayLit(items);
    }

    private Object parseNumber() {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        while (Character.isDigit(peek())) {
            pos++;
        }
        boolean fraction = false;
        if (peek() == '.' && !(peekAt(pos + 1) == '.')) {
            fraction = true;
            pos++;
            while (Character.isDigit(peek())) {
                pos++;
            }
        }
        String number = text.substring(start, pos);
        if (fraction) {
            return Double.parseDouble(number.endsWith(".") ? number + "0" : number);
        }
        return Long.parseLong(number);
    }

    private String parseKey() {
        char c = peek();
        if (c == '"' || c == '\'') {
            return parseString();
        }
        return parseIdentifier();
    }

    private String parseIdentifier() {
        int start = pos;
        if (!isIdentStart(peek())) {
            throw error(pos, "expected a name");
        }
        while (isIdentPart(peek())) {
            pos++;
        }
        return text.substring(start, pos);
    }

    private String parseString() {
        char quote = text.charAt(pos++);
        StringBuilder out = new StringBuilder();
        while (pos < text.length() && text.charAt(pos) != quote) {
            char c = text.charAt(pos++);
            if (c == '\\' && pos < text.length()) {
                c = text.charAt(pos++);
            }
            out.append(c);
        }
        if (pos >= text.length()) {
            throw error(pos, "unclosed string");
        }
        pos++;
        return out.toString();
    }

    /** Skips spaces and {@code #} comments. */
    private void skip() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '#') {
                while (pos < text.length() && text.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                pos++;
            } else {
                return;
            }
        }
    }

    /** Between named selections a comma is a separator, as in GraphQL. */
    private void skipSeparators() {
        skip();
        while (peek() == ',') {
            pos++;
            skip();
        }
    }

    private void expect(char c) {
        skip();
        if (peek() != c) {
            throw error(pos, "expected '" + c + "'");
        }
        pos++;
    }

    private char peek() {
        return peekAt(pos);
    }

    private char peekAt(int at) {
        return at < text.length() ? text.charAt(at) : 0;
    }

    private static boolean isKeyStart(char c) {
        return isIdentStart(c) || c == '"' || c == '\'';
    }

    private static boolean isIdentStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    }

    private static boolean isIdentPart(char c) {
        return isIdentStart(c) || (c >= '0' && c <= '9');
    }

    private SelectionSyntaxException error(int at, String message) {
        return new SelectionSyntaxException(message + " at offset " + at + " of \"" + text + "\"");
    }
}
