package dev.pig.core.model;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Which members of a cluster a service routes to: the part of JMESPath that Pigsty inventories
 * write in a service's {@code selector} and {@code backup}, evaluated over the list of the
 * cluster members' host variables.
 *
 * <pre>
 * - { name: offline, port: 5438, dest: postgres, check: /replica,
 *     selector: "[? pg_role == `offline` || pg_offline_query ]",
 *     backup: "[? pg_role == `replica` &amp;&amp; !pg_offline_query]" }
 * </pre>
 *
 * A selector is a chain of brackets joined by optional pipes: {@code []}, {@code [? cond]},
 * {@code [N]} and slices {@code [a:b:c]}. A condition combines {@code || && ! ( )} and the
 * comparisons {@code == != < <= > >=} over variables ({@code pg_role}, {@code "pg-role"}),
 * {@code @}, backtick JSON literals and {@code 'raw strings'}. The rest of JMESPath (functions,
 * {@code .field}, multiselects, wildcards) is rejected with a {@link SyntaxError} that says so,
 * so that pig never routes to other members than Pigsty would.
 */
public final class MemberSelector {
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final String text;
    private final Expr root;

    private MemberSelector(String text, Expr root) {
        this.text = text;
        this.root = root;
    }

    /** Parses {@code expr}; throws a {@link SyntaxError} naming the column of the first problem. */
    public static MemberSelector parse(String expr) {
        Objects.requireNonNull(expr, "expr");
        return new MemberSelector(expr, new Parser(expr).selector());
    }

    /**
     * The members the selector picks, in the order it picks them (the input order except for a
     * reversing slice). An index such as {@code [0]} gives a list of one, or none when it is out
     * of range. The input is only read.
     */
    public List<Map<String, Object>> select(List<Map<String, Object>> members) {
        Object result = root.eval(Objects.requireNonNull(members, "members"));
        List<Map<String, Object>> out = new ArrayList<>();
        if (result instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?>) {
                    out.add(member(o));
                }
            }
        } else if (result instanceof Map<?, ?>) {
            out.add(member(result));
        }
        return Collections.unmodifiableList(out);
    }

    public String text() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MemberSelector s && s.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> member(Object o) {
        return (Map<String, Object>) o;
    }

    /** A selector that is not valid, or uses a part of JMESPath that pig does not evaluate. */
    public static final class SyntaxError extends RuntimeException {
        private final int column;
        private final String reason;

        SyntaxError(String reason, int column) {
            super(reason + " at column " + column);
            this.reason = reason;
            this.column = column;
        }

        /** 1-based position in the expression. */
        public int column() {
            return column;
        }

        /** The message without its column. */
        public String reason() {
            return reason;
        }
    }

    // ---- JMESPath values: truthiness and comparison ----

    static boolean truthy(Object v) {
        if (v == null || Boolean.FALSE.equals(v)) {
            return false;
        }
        if (v instanceof String s) {
            return !s.isEmpty();
        }
        if (v instanceof List<?> l) {
            return !l.isEmpty();
        }
        if (v instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        return true;
    }

    /** JSON equality: numbers by value (1 == 1.0), lists in order, objects by keys and values. */
    static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            Integer c = compare(x, y);
            return c != null && c == 0;
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
            if (!x.keySet().equals(y.keySet())) {
                return false;
            }
            for (Map.Entry<?, ?> e : x.entrySet()) {
                if (!same(e.getValue(), y.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(a, b); // strings, booleans, null; a number never equals a non-number
    }

    /** Numeric order across Integer, Long, BigInteger and Double; null when unordered (NaN). */
    private static Integer compare(Number a, Number b) {
        BigDecimal x = decimal(a);
        BigDecimal y = decimal(b);
        if (x != null && y != null) {
            return x.compareTo(y);
        }
        double p = a.doubleValue();
        double q = b.doubleValue();
        return Double.isNaN(p) || Double.isNaN(q) ? null : Double.compare(p, q);
    }

    private static BigDecimal decimal(Number n) {
        if (n instanceof BigDecimal d) {
            return d;
        }
        if (n instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            return Double.isFinite(d) ? BigDecimal.valueOf(d) : null;
        }
        return BigDecimal.valueOf(n.longValue());
    }

    // ---- the expression tree ----

    private sealed interface Expr permits Current, Field, Literal, Index, Slice, Flatten, Filter, Projection, Pipe,
            Not, And, Or, Compare {
        Object eval(Object current);

        /** Whether the brackets after it apply to each element of its result, as in JMESPath. */
        default boolean projects() {
            return false;
        }
    }

    /** {@code @}, and the rest of a projection when nothing follows. */
    private record Current() implements Expr {
        @Override
        public Object eval(Object current) {
            return current;
        }
    }

    private record Field(String name) implements Expr {
        @Override
        public Object eval(Object current) {
            return current instanceof Map<?, ?> m ? m.get(name) : null;
        }
    }

    private record Literal(Object value) implements Expr {
        @Override
        public Object eval(Object current) {
            return value;
        }
    }

    private record Index(int index) implements Expr {
        @Override
        public Object eval(Object current) {
            if (!(current instanceof List<?> l)) {
                return null;
            }
            int i = index < 0 ? index + l.size() : index;
            return i >= 0 && i < l.size() ? l.get(i) : null;
        }
    }

    private record Slice(Integer start, Integer stop, int step) implements Expr {
        @Override
        public Object eval(Object current) {
            if (!(current instanceof List<?> l)) {
                return null;
            }
            int n = l.size();
            long from = start == null ? (step > 0 ? 0 : n - 1) : cap(start, n);
            long to = stop == null ? (step > 0 ? n : -1) : cap(stop, n);
            List<Object> out = new ArrayList<>();
            for (long i = from; step > 0 ? i < to : i > to; i += step) {
                out.add(l.get((int) i));
            }
            return out;
        }

        private int cap(int i, int n) {
            if (i < 0) {
                i += n;
                return i < 0 ? (step < 0 ? -1 : 0) : i;
            }
            return i >= n ? (step < 0 ? n - 1 : n) : i;
        }

        @Override
        public boolean projects() {
            return true;
        }
    }

    private record Flatten() implements Expr {
        @Override
        public Object eval(Object current) {
            if (!(current instanceof List<?> l)) {
                return null;
            }
            List<Object> out = new ArrayList<>();
            for (Object o : l) {
                if (o instanceof List<?> inner) {
                    out.addAll(inner);
                } else {
                    out.add(o);
                }
            }
            return out;
        }

        @Override
        public boolean projects() {
            return true;
        }
    }

    private record Filter(Expr condition) implements Expr {
        @Override
        public Object eval(Object current) {
            if (!(current instanceof List<?> l)) {
                return null;
            }
            List<Object> out = new ArrayList<>();
            for (Object o : l) {
                if (truthy(condition.eval(o))) {
                    out.add(o);
                }
            }
            return out;
        }

        @Override
        public boolean projects() {
            return true;
        }
    }

    /** Applies {@code rest} to each element of {@code base}'s list, dropping nulls (JMESPath's projection). */
    private record Projection(Expr base, Expr rest) implements Expr {
        @Override
        public Object eval(Object current) {
            if (!(base.eval(current) instanceof List<?> l)) {
                return null;
            }
            List<Object> out = new ArrayList<>();
            for (Object o : l) {
                Object r = rest.eval(o);
                if (r != null) {
                    out.add(r);
                }
            }
            return out;
        }
    }

    private record Pipe(Expr left, Expr right) implements Expr {
        @Override
        public Object eval(Object current) {
            return right.eval(left.eval(current));
        }
    }

    private record Not(Expr operand) implements Expr {
        @Override
        public Object eval(Object current) {
            return !truthy(operand.eval(current));
        }
    }

    private record And(Expr left, Expr right) implements Expr {
        @Override
        public Object eval(Object current) {
            Object l = left.eval(current);
            return truthy(l) ? right.eval(current) : l;
        }
    }

    private record Or(Expr left, Expr right) implements Expr {
        @Override
        public Object eval(Object current) {
            Object l = left.eval(current);
            return truthy(l) ? l : right.eval(current);
        }
    }

    private enum Op {
        EQ, NE, LT, LE, GT, GE
    }

    private record Compare(Op op, Expr left, Expr right) implements Expr {
        @Override
        public Object eval(Object current) {
            Object a = left.eval(current);
            Object b = right.eval(current);
            if (op == Op.EQ || op == Op.NE) {
                return same(a, b) == (op == Op.EQ);
            }
            if (!(a instanceof Number x && b instanceof Number y)) {
                return null; // JMESPath orders numbers only
            }
            Integer c = compare(x, y);
            if (c == null) {
                return false;
            }
            return switch (op) {
                case LT -> c < 0;
                case LE -> c <= 0;
                case GT -> c > 0;
                default -> c >= 0;
            };
        }
    }

    // ---- lexer and recursive-descent parser ----

    private enum Kind {
        LBRACKET, RBRACKET, QUESTION, COLON, PIPE, OR, AND, NOT, LPAREN, RPAREN, AT, CMP, NUMBER, IDENT, QUOTED,
        LITERAL, END
    }

    /** {@code value}: the name of an identifier, a literal's value, a number, a comparison's {@link Op}. */
    private record Token(Kind kind, String text, Object value, int column) {
    }

    /**
     * <pre>
     * selector   := chain ( '|' chain )*
     * chain      := bracket+
     * bracket    := '[' ']' | '[' '?' or ']' | '[' NUMBER ']' | '[' NUMBER? ':' NUMBER? ( ':' NUMBER? )? ']'
     * or         := and ( '||' and )*
     * and        := comparison ( '&amp;&amp;' comparison )*
     * comparison := unary ( CMP unary )*
     * unary      := '!' unary | primary
     * primary    := IDENT | QUOTED | '@' | LITERAL | '(' or ')'
     * </pre>
     * Tokens are read one at a time, so the error reported is always the leftmost one.
     */
    private static final class Parser {
        private final String src;
        private int pos;
        private Token tok;

        Parser(String src) {
            this.src = src;
        }

        Expr selector() {
            if (src.isBlank()) {
                throw new SyntaxError("empty selector", 1);
            }
            advance();
            Expr e = chain();
            while (tok.kind == Kind.PIPE) {
                advance();
                e = new Pipe(e, chain());
            }
            if (tok.kind != Kind.END) {
                throw expected("'[', '|' or the end of the selector");
            }
            return e;
        }

        private Expr chain() {
            if (tok.kind != Kind.LBRACKET) {
                throw expected("'['");
            }
            List<Expr> brackets = new ArrayList<>();
            while (tok.kind == Kind.LBRACKET) {
                brackets.add(bracket());
            }
            // JMESPath: the brackets after a projection ([], [?], a slice) apply to each element of it
            Expr rest = new Current();
            for (int i = brackets.size() - 1; i >= 0; i--) {
                Expr b = brackets.get(i);
                if (b.projects()) {
                    rest = new Projection(b, rest);
                } else {
                    rest = rest instanceof Current ? b : new Pipe(b, rest);
                }
            }
            return rest;
        }

        private Expr bracket() {
            advance();
            switch (tok.kind) {
                case RBRACKET -> {
                    advance();
                    return new Flatten();
                }
                case QUESTION -> {
                    advance();
                    if (tok.kind == Kind.RBRACKET || tok.kind == Kind.END) {
                        throw expected("a condition");
                    }
                    Expr condition = or();
                    expect(Kind.RBRACKET, "']'");
                    return new Filter(condition);
                }
                case NUMBER, COLON -> {
                    return indexOrSlice();
                }
                default -> throw expected("']', '?', an index or a slice");
            }
        }

        private Expr indexOrSlice() {
            Integer[] parts = new Integer[3];
            Token[] at = new Token[3];
            int colons = 0;
            if (tok.kind == Kind.NUMBER) {
                at[0] = tok;
                parts[0] = (Integer) tok.value;
                advance();
            }
            while (tok.kind == Kind.COLON && colons < 2) {
                advance();
                colons++;
                if (tok.kind == Kind.NUMBER) {
                    at[colons] = tok;
                    parts[colons] = (Integer) tok.value;
                    advance();
                }
            }
            expect(Kind.RBRACKET, "']'");
            if (colons == 0) {
                return new Index(parts[0]);
            }
            if (parts[2] != null && parts[2] == 0) {
                throw new SyntaxError("a slice step cannot be 0", at[2].column);
            }
            return new Slice(parts[0], parts[1], parts[2] == null ? 1 : parts[2]);
        }

        private Expr or() {
            Expr e = and();
            while (tok.kind == Kind.OR) {
                advance();
                e = new Or(e, and());
            }
            return e;
        }

        private Expr and() {
            Expr e = comparison();
            while (tok.kind == Kind.AND) {
                advance();
                e = new And(e, comparison());
            }
            return e;
        }

        private Expr comparison() {
            Expr e = unary();
            while (tok.kind == Kind.CMP) {
                Op op = (Op) tok.value;
                advance();
                e = new Compare(op, e, unary());
            }
            return e;
        }

        private Expr unary() {
            if (tok.kind == Kind.NOT) {
                advance();
                return new Not(unary());
            }
            return primary();
        }

        private Expr primary() {
            Token t = tok;
            switch (t.kind) {
                case IDENT -> {
                    String name = (String) t.value;
                    if (nextChar() == '(') {
                        throw new SyntaxError("functions such as '" + name + "()' are not supported by pig", t.column);
                    }
                    if (name.equals("true") || name.equals("false") || name.equals("null")) {
                        throw new SyntaxError("a bare " + name + " names a variable in JMESPath; write `" + name
                                + "` for the literal", t.column);
                    }
                    advance();
                    if (tok.kind == Kind.LBRACKET) {
                        throw new SyntaxError("indexing a variable ('" + name + "[...]') is not supported by pig",
                                tok.column);
                    }
                    return new Field(name);
                }
                case QUOTED -> {
                    advance();
                    return new Field((String) t.value);
                }
                case AT -> {
                    advance();
                    return new Current();
                }
                case LITERAL -> {
                    advance();
                    return new Literal(t.value);
                }
                case LPAREN -> {
                    advance();
                    Expr e = or();
                    expect(Kind.RPAREN, "')'");
                    return e;
                }
                case NUMBER -> throw new SyntaxError("a bare number is not a literal in JMESPath; write `" + t.text
                        + "`", t.column);
                case LBRACKET -> throw new SyntaxError("brackets inside a condition are not supported by pig", t.column);
                default -> throw expected("a variable, a `literal`, a 'string', '@', '!' or '('");
            }
        }

        private void expect(Kind kind, String what) {
            if (tok.kind != kind) {
                throw expected(what);
            }
            advance();
        }

        private SyntaxError expected(String what) {
            return new SyntaxError("expected " + what, tok.column);
        }

        /** The next character after the current token, past whitespace; 0 at the end. */
        private char nextChar() {
            int i = pos;
            while (i < src.length() && Character.isWhitespace(src.charAt(i))) {
                i++;
            }
            return i < src.length() ? src.charAt(i) : 0;
        }

        private void advance() {
            tok = lex();
        }

        private Token lex() {
            while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) {
                pos++;
            }
            int start = pos;
            int col = start + 1;
            if (pos >= src.length()) {
                return new Token(Kind.END, "", null, col);
            }
            char c = src.charAt(pos);
            char n = pos + 1 < src.length() ? src.charAt(pos + 1) : 0;
            switch (c) {
                case '[':
                    return single(Kind.LBRACKET);
                case ']':
                    return single(Kind.RBRACKET);
                case '?':
                    return single(Kind.QUESTION);
                case ':':
                    return single(Kind.COLON);
                case '(':
                    return single(Kind.LPAREN);
                case ')':
                    return single(Kind.RPAREN);
                case '@':
                    return single(Kind.AT);
                case '|':
                    return n == '|' ? pair(Kind.OR, null) : single(Kind.PIPE);
                case '&':
                    if (n == '&') {
                        return pair(Kind.AND, null);
                    }
                    throw new SyntaxError("expression references ('&') are not supported by pig; write '&&' for and", col);
                case '!':
                    return n == '=' ? pair(Kind.CMP, Op.NE) : single(Kind.NOT);
                case '=':
                    if (n == '=') {
                        return pair(Kind.CMP, Op.EQ);
                    }
                    throw new SyntaxError("'=' is not an operator; write '==' to compare", col);
                case '<':
                    return n == '=' ? pair(Kind.CMP, Op.LE) : single(Kind.CMP, Op.LT);
                case '>':
                    return n == '=' ? pair(Kind.CMP, Op.GE) : single(Kind.CMP, Op.GT);
                case '"':
                    return quoted(col);
                case '`':
                    return literal(col);
                case '\'':
                    return rawString(col);
                case '.':
                    throw new SyntaxError("sub-expressions ('.field') are not supported by pig; a selector picks"
                            + " whole members", col);
                case '{':
                case '}':
                    throw new SyntaxError("multiselect hashes ('{...}') are not supported by pig", col);
                case ',':
                    throw new SyntaxError("multiselect lists and function arguments (',') are not supported by pig", col);
                case '*':
                    throw new SyntaxError("wildcards ('*') are not supported by pig; '[]' selects every member", col);
                default:
                    break;
            }
            if (c == '-' || isDigit(c)) {
                return number(col);
            }
            if (isIdentStart(c)) {
                pos++;
                while (pos < src.length() && (isIdentStart(src.charAt(pos)) || isDigit(src.charAt(pos)))) {
                    pos++;
                }
                String name = src.substring(start, pos);
                return new Token(Kind.IDENT, name, name, col);
            }
            throw new SyntaxError("unexpected character '" + c + "'", col);
        }

        private Token single(Kind kind) {
            return single(kind, null);
        }

        private Token single(Kind kind, Object value) {
            pos++;
            return new Token(kind, src.substring(pos - 1, pos), value, pos);
        }

        private Token pair(Kind kind, Object value) {
            pos += 2;
            return new Token(kind, src.substring(pos - 2, pos), value, pos - 1);
        }

        private Token number(int col) {
            int start = pos;
            if (src.charAt(pos) == '-') {
                pos++;
            }
            if (pos >= src.length() || !isDigit(src.charAt(pos))) {
                throw new SyntaxError("unexpected '-'; quote a name with '-' in it, like \"pg-role\"", col);
            }
            while (pos < src.length() && isDigit(src.charAt(pos))) {
                pos++;
            }
            String text = src.substring(start, pos);
            long v;
            try {
                v = Long.parseLong(text);
            } catch (NumberFormatException e) {
                v = Long.MAX_VALUE;
            }
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                throw new SyntaxError("number " + text + " is out of range", col);
            }
            return new Token(Kind.NUMBER, text, (int) v, col);
        }

        /** {@code "pg-role"}: a JSON string naming a variable. */
        private Token quoted(int col) {
            String body = enclosed('"', col, "quoted name");
            try {
                return new Token(Kind.QUOTED, body, JSON.readValue(body, String.class), col);
            } catch (JsonProcessingException e) {
                throw new SyntaxError("invalid quoted name " + body, col);
            }
        }

        /**
         * {@code `json`}; as in JMESPath's legacy rule (which Pigsty's inventories rely on, as in
         * {@code `primary`}), text that is not JSON is taken as a string.
         */
        private Token literal(int col) {
            String body = enclosed('`', col, "literal");
            String json = body.substring(1, body.length() - 1).replace("\\`", "`");
            Object value;
            try {
                value = JSON.readValue(json, Object.class);
            } catch (JsonProcessingException e) {
                try {
                    value = JSON.readValue("\"" + json.stripLeading() + "\"", String.class);
                } catch (JsonProcessingException e2) {
                    throw new SyntaxError("invalid JSON literal " + body, col);
                }
            }
            return new Token(Kind.LITERAL, body, freeze(value), col);
        }

        /** {@code 'text'}: a string as written, {@code \'} for a quote. */
        private Token rawString(int col) {
            String body = enclosed('\'', col, "string");
            return new Token(Kind.LITERAL, body, body.substring(1, body.length() - 1).replace("\\'", "'"), col);
        }

        /** The text from the opening delimiter at {@code pos} to its closing one; a backslash escapes. */
        private String enclosed(char delim, int col, String what) {
            int start = pos;
            for (int i = pos + 1; i < src.length(); i++) {
                char c = src.charAt(i);
                if (c == '\\') {
                    i++;
                } else if (c == delim) {
                    pos = i + 1;
                    return src.substring(start, pos);
                }
            }
            throw new SyntaxError("unterminated " + what + ": expected a closing " + delim, col);
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        private static boolean isIdentStart(char c) {
            return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_';
        }

        /** Literals are shared by every evaluation, so they are made read-only. */
        private static Object freeze(Object v) {
            if (v instanceof List<?> l) {
                List<Object> out = new ArrayList<>(l.size());
                l.forEach(o -> out.add(freeze(o)));
                return Collections.unmodifiableList(out);
            }
            if (v instanceof Map<?, ?> m) {
                Map<String, Object> out = new LinkedHashMap<>();
                m.forEach((k, o) -> out.put(String.valueOf(k), freeze(o)));
                return Collections.unmodifiableMap(out);
            }
            return v;
        }
    }
}
