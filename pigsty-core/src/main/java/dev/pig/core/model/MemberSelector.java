package dev.pig.core.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.pig.core.diag.PigException;
import io.burt.jmespath.Expression;
import io.burt.jmespath.JmesPathException;
import io.burt.jmespath.jcf.JcfRuntime;
import io.burt.jmespath.parser.ParseError;
import io.burt.jmespath.parser.ParseException;

/**
 * Which members of a cluster a service routes to: a JMESPath expression, as Pigsty inventories
 * write in a service's {@code selector} and {@code backup}, evaluated over the list of the cluster
 * members' host variables.
 *
 * <pre>
 * - { name: offline, port: 5438, dest: postgres, check: /replica,
 *     selector: "[? pg_role == `offline` || pg_offline_query ]",
 *     backup: "[? pg_role == `replica` &amp;&amp; !pg_offline_query]" }
 * </pre>
 *
 * All of JMESPath is parsed and evaluated by the io.burt JMESPath library, functions included
 * ({@code [? contains(['replica', 'offline'], pg_role)]}), with its runtime for plain Java maps
 * and lists, so the host variables are read as they are, not copied into a JSON tree for every
 * selection. Only what the library cannot do is written here: reading literals the way Ansible's
 * {@code json_query}, and so Pigsty, reads them ({@link Source}); naming the usual mistakes in a
 * selector by what to write instead ({@link Errors}); and making sure that what a selector gives
 * are members of the cluster.
 */
public final class MemberSelector {
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final JcfRuntime JMESPATH = new JcfRuntime();
    /**
     * Selectors already parsed: every host of a cluster is checked with the same few, and the
     * library's parser costs tens of microseconds a selector where a lookup costs nothing.
     */
    private static final Map<String, MemberSelector> PARSED = new ConcurrentHashMap<>();
    private static final int PARSED_MAX = 1024;

    private final String text;
    private final Expression<Object> expression;

    private MemberSelector(String text, Expression<Object> expression) {
        this.text = text;
        this.expression = expression;
    }

    /** Parses {@code expr}; throws a {@link SyntaxError} naming the column of the first problem. */
    public static MemberSelector parse(String expr) {
        Objects.requireNonNull(expr, "expr");
        MemberSelector known = PARSED.get(expr);
        if (known != null) {
            return known;
        }
        if (expr.isBlank()) {
            throw new SyntaxError("empty selector", 1);
        }
        Source source = Source.of(expr);
        MemberSelector parsed;
        try {
            parsed = new MemberSelector(expr, JMESPATH.compile(source.text()));
        } catch (ParseException e) {
            // the library reports what its parser met; the leftmost problem is the one to fix first
            ParseError first = StreamSupport.stream(e.spliterator(), false)
                    .min(Comparator.comparingInt(ParseError::position)).orElseThrow();
            throw new SyntaxError(Errors.reason(first.message(), first.position() >= source.text().length()),
                    source.column(first.position()));
        } catch (JmesPathException e) {
            throw new SyntaxError(e.getMessage(), 1);
        }
        if (PARSED.size() < PARSED_MAX) {
            PARSED.put(expr, parsed);
        }
        return parsed;
    }

    /**
     * The members the selector picks, in the order it gives them. A selector that gives one member
     * ({@code [0]}) picks that one; one that gives {@code null} ({@code [9]} out of range) picks none.
     * The input is only read.
     *
     * @throws PigException (INVALID_INPUT) when the selector gives something other than members, such as
     *                      {@code [].pg_role}, or a function is called with the wrong types
     */
    public List<Map<String, Object>> select(List<Map<String, Object>> members) {
        Objects.requireNonNull(members, "members");
        Object result;
        try {
            result = expression.search(members);
        } catch (JmesPathException e) {
            throw new PigException(PigException.Kind.INVALID_INPUT, "selector " + text
                    + " cannot be evaluated over the members of the cluster: " + e.getMessage());
        }
        // the library hands back the input's own maps for what it selects, so identity tells a
        // member from a value that merely looks like one (a multiselect's new object, say)
        Set<Object> given = Collections.newSetFromMap(new IdentityHashMap<>());
        given.addAll(members);
        List<Object> picked = result instanceof List<?> l ? new ArrayList<>(l)
                : result == null ? List.of() : List.of(result);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : picked) {
            if (!given.contains(o)) {
                throw new PigException(PigException.Kind.INVALID_INPUT, "selector " + text + " gives " + abbreviate(o)
                        + ", which is not a member of the cluster; a selector picks whole members,"
                        + " like [? pg_role == `replica`]");
            }
            out.add(member(o));
        }
        return Collections.unmodifiableList(out);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> member(Object o) {
        return (Map<String, Object>) o;
    }

    private static String abbreviate(Object o) {
        String s;
        try {
            s = JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            s = String.valueOf(o);
        }
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
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

    /** A selector that is not valid JMESPath, or is valid but surely not what was meant. */
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

    /**
     * The selector as the library is given it, and where each of its characters came from.
     *
     * <p>Hand-written because the library cannot do these: (1) Pigsty's own default services write
     * string literals the legacy JMESPath way, {@code `primary`}, which Ansible's json_query reads as
     * the string "primary" and the library refuses; every backtick literal is therefore read here,
     * as Ansible reads it (JSON, else the text as a string; {@code \`} for a backtick), and handed on
     * as JSON. (2) Raw strings {@code 'x'} are handed on the same way, so that only {@code \'} is an
     * escape in them, as in Ansible. (3) Line breaks between tokens become spaces: the library counts
     * columns within a line. (4) A number out of the int range makes the library fail without a
     * position. (5) A bare {@code true}, {@code false} or {@code null} is valid JMESPath, a variable
     * of that name, but never what an inventory means.
     *
     * @param text   what the library parses
     * @param origin for each character of {@code text}, and one past its end, the 0-based index in
     *               the selector as written
     */
    record Source(String text, int[] origin) {
        private static final Set<String> CONSTANTS = Set.of("true", "false", "null");

        /** 1-based column in the selector as written of a 0-based position in {@link #text}. */
        int column(int position) {
            return origin[Math.max(0, Math.min(position, origin.length - 1))] + 1;
        }

        static Source of(String src) {
            StringBuilder out = new StringBuilder();
            List<Integer> origin = new ArrayList<>();
            int i = 0;
            while (i < src.length()) {
                char c = src.charAt(i);
                int start = i;
                String piece;
                if (c == '`') {
                    i = closing(src, i, "literal");
                    piece = "`" + json(literal(src.substring(start, i), start), start) + "`";
                } else if (c == '\'') {
                    i = closing(src, i, "string");
                    piece = "`" + json(src.substring(start + 1, i - 1).replace("\\'", "'"), start) + "`";
                } else if (c == '"') {
                    i = closing(src, i, "quoted name");
                    piece = src.substring(start, i);
                    try {
                        JSON.readValue(piece, String.class);
                    } catch (JsonProcessingException e) {
                        throw new SyntaxError("invalid quoted name " + piece, start + 1);
                    }
                } else if (Character.isWhitespace(c)) {
                    i++;
                    piece = " ";
                } else if (isNameStart(c)) {
                    while (i < src.length() && (isNameStart(src.charAt(i)) || isDigit(src.charAt(i)))) {
                        i++;
                    }
                    piece = src.substring(start, i);
                    if (CONSTANTS.contains(piece) && after(src, i) != '(' && after(src, i) != ':'
                            && before(src, start) != '.') {
                        throw new SyntaxError("a bare " + piece + " names a variable in JMESPath; write `" + piece
                                + "` for the literal", start + 1);
                    }
                } else if (isDigit(c) || c == '-' && i + 1 < src.length() && isDigit(src.charAt(i + 1))) {
                    i++;
                    while (i < src.length() && isDigit(src.charAt(i))) {
                        i++;
                    }
                    piece = src.substring(start, i);
                    if (piece.length() > 11 || Long.parseLong(piece) != (int) Long.parseLong(piece)) {
                        throw new SyntaxError("number " + piece + " is out of range", start + 1);
                    }
                } else {
                    i++;
                    piece = String.valueOf(c);
                }
                // a rewritten piece points at its start as written; one kept as it was, char by char
                boolean same = piece.equals(src.substring(start, i)) || piece.equals(" ");
                for (int k = 0; k < piece.length(); k++) {
                    origin.add(same ? start + k : start);
                }
                out.append(piece);
            }
            origin.add(src.length());
            return new Source(out.toString(), origin.stream().mapToInt(Integer::intValue).toArray());
        }

        /** The index just past the delimiter that closes the one at {@code open}; a backslash escapes. */
        private static int closing(String src, int open, String what) {
            char delim = src.charAt(open);
            for (int i = open + 1; i < src.length(); i++) {
                char c = src.charAt(i);
                if (c == '\\') {
                    i++;
                } else if (c == delim) {
                    return i + 1;
                }
            }
            throw new SyntaxError("unterminated " + what + ": expected a closing " + delim, open + 1);
        }

        /** A backtick literal's value: its JSON, else (JMESPath's legacy rule) its text as a string. */
        private static Object literal(String written, int start) {
            String body = written.substring(1, written.length() - 1).replace("\\`", "`");
            try {
                return JSON.readValue(body, Object.class);
            } catch (JsonProcessingException e) {
                try {
                    return JSON.readValue("\"" + body.stripLeading() + "\"", String.class);
                } catch (JsonProcessingException e2) {
                    throw new SyntaxError("invalid JSON literal " + written, start + 1);
                }
            }
        }

        /** A value as the JSON of a backtick literal, where a backtick must be escaped. */
        private static String json(Object value, int start) {
            try {
                return JSON.writeValueAsString(value).replace("`", "\\`");
            } catch (JsonProcessingException e) {
                throw new SyntaxError("invalid literal", start + 1);
            }
        }

        /** The next character after {@code i} that is not whitespace; 0 at the end. */
        private static char after(String src, int i) {
            while (i < src.length() && Character.isWhitespace(src.charAt(i))) {
                i++;
            }
            return i < src.length() ? src.charAt(i) : 0;
        }

        /** The character before {@code i} that is not whitespace; 0 at the start. */
        private static char before(String src, int i) {
            i--;
            while (i >= 0 && Character.isWhitespace(src.charAt(i))) {
                i--;
            }
            return i >= 0 ? src.charAt(i) : 0;
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }

        private static boolean isNameStart(char c) {
            return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_';
        }
    }

    /**
     * The library's parse errors (ANTLR's wording, with token sets such as
     * {@code {'!', '(', '*', ...}}) said in an inventory's terms, with the fix where the mistake is
     * a usual one.
     */
    static final class Errors {
        private static final Pattern UNEXPECTED =
                Pattern.compile("(?:mismatched|extraneous) input '(.*)' expecting (.*)", Pattern.DOTALL);
        private static final Pattern MISSING = Pattern.compile("missing (.*) at '.*'", Pattern.DOTALL);
        private static final Pattern NO_VIABLE = Pattern.compile("no viable alternative at input '(.*)'", Pattern.DOTALL);
        private static final Pattern UNRECOGNIZED = Pattern.compile("token recognition error at: '(.*)'", Pattern.DOTALL);

        private Errors() {
        }

        static String reason(String libraryMessage, boolean atEnd) {
            String m = libraryMessage.startsWith("syntax error ") ? libraryMessage.substring(13) : libraryMessage;
            Matcher x;
            if ((x = UNRECOGNIZED.matcher(m)).matches()) {
                return unrecognized(x.group(1).isEmpty() ? ' ' : x.group(1).charAt(0));
            }
            if ((x = UNEXPECTED.matcher(m)).matches()) {
                String input = x.group(1);
                String expecting = x.group(2);
                if (input.matches("-?\\d+")) {
                    return "a bare number is not a literal in JMESPath; write `" + input + "`";
                }
                if (input.equals("&")) {
                    return "'&' alone is an expression reference, as in sort_by(@, &pg_seq); write '&&' for and";
                }
                if (input.equals("<EOF>")) {
                    return "unexpected end of the selector; " + expected(expecting);
                }
                return "unexpected '" + input + "'; " + expected(expecting);
            }
            if ((x = MISSING.matcher(m)).matches()) {
                return "expected " + x.group(1);
            }
            if ((x = NO_VIABLE.matcher(m)).matches()) {
                return "unexpected " + (atEnd || x.group(1).isEmpty() ? "end of the selector"
                        : "'" + x.group(1).substring(x.group(1).length() - 1) + "'");
            }
            if (m.equals("invalid value 0 for step size")) {
                return "a slice step cannot be 0";
            }
            return m;
        }

        private static String unrecognized(char c) {
            return switch (c) {
                case '-' -> "unexpected '-'; quote a name with '-' in it, like \"pg-role\"";
                case '=' -> "'=' is not an operator; write '==' to compare";
                case '?' -> "unexpected '?'; a filter starts with '[?', with no space between";
                default -> "unexpected character '" + c + "'";
            };
        }

        private static String expected(String expecting) {
            if (expecting.equals("<EOF>")) {
                return "expected the end of the selector";
            }
            if (expecting.contains("NAME")) {
                return "expected a variable, a `literal`, a 'string', '@', '!', '(', '[' or a function";
            }
            return "expected " + expecting.replace("{", "one of ").replace("}", "");
        }
    }
}
