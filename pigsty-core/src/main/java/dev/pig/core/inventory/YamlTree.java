package dev.pig.core.inventory;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.parser.Parser;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

import dev.pig.core.diag.ControlChars;
import dev.pig.core.diag.Diagnostic;
import dev.pig.core.diag.Diagnostics;
import dev.pig.core.diag.Source;

/**
 * Parses YAML into {@link YNode}s with positions, reporting problems as diagnostics: syntax
 * errors (with where an unclosed construct began), duplicate keys, non-string keys, input past
 * the limits below (size, nesting, value length, number of values), and alias expansions large
 * enough to be an attack ("billion laughs"), which are measured without expanding them (see
 * {@link Expansion}) and refused before anything is converted.
 */
public final class YamlTree {
    /** Aliases of collections a document may use; Pigsty inventories use few or none. */
    static final int MAX_COLLECTION_ALIASES = 100;
    /**
     * Values that aliases may add to a document beyond those written: a merge key or two add a
     * few dozen; more than this is an alias bomb ("billion laughs"), refused before anything is
     * expanded.
     */
    static final int MAX_NODES = 100_000;
    /**
     * Values a file may write: a 1,000-host inventory has about 10,000. The limit bounds the
     * memory a file can take once composed (a few hundred bytes per value).
     */
    static final int MAX_WRITTEN = 250_000;
    /** How deeply values may nest: Pigsty's deepest (an extension of a database) is 8 levels. */
    static final int MAX_DEPTH = 64;
    /** Characters one value may hold: a certificate is a few KB, a file path far less. */
    static final int MAX_SCALAR = 1024 * 1024;
    /** Characters a file may hold: a 1,000-host inventory is about 100 KB. */
    public static final int MAX_CHARS = 8 * 1024 * 1024;

    private static final Pattern INT = Pattern.compile("[-+]?(0|[1-9][0-9_]*)");
    private static final Pattern HEX = Pattern.compile("0x[0-9a-fA-F_]+");
    private static final Pattern OCT = Pattern.compile("0o?[0-7_]+");
    private static final Pattern FLOAT =
            Pattern.compile("[-+]?([0-9][0-9_]*)?\\.[0-9_]*([eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+");

    private final String file;
    private final Diagnostics diags;
    private final IdentityHashMap<NodeTuple, Boolean> mergedTuples = new IdentityHashMap<>();

    private YamlTree(String file, Diagnostics diags) {
        this.file = file;
        this.diags = diags;
    }

    /**
     * Parses {@code text}; returns empty when the text is empty or unreadable, with the reason in
     * {@code diags}. The cost is linear in the size of the text, and every limit (size, nesting,
     * value length, aliases) is reported as a diagnostic, never as a stack overflow or a hang.
     */
    public static Optional<YNode> parse(String file, String text, Diagnostics diags) {
        diags.registerText(file, text);
        if (text.length() > MAX_CHARS) {
            diags.error("the file holds " + text.length() + " characters, more than pig reads (" + MAX_CHARS + ")",
                    new Source(file, 0, 0), "An inventory is YAML text of at most a few MB; check that this is the right file.");
            return Optional.empty();
        }
        LoadSettings settings = settings(file, text.length());
        LimitedParser parser = new LimitedParser(new ParserImpl(settings, new StreamReader(settings, text)));
        Optional<Node> root;
        try {
            root = new Composer(settings, parser).getSingleNode();
        } catch (LimitExceeded e) {
            diags.error(e.getMessage(), at(file, e.mark), e.hint);
            return Optional.empty();
        } catch (MarkedYamlEngineException e) {
            syntaxError(file, e, diags);
            return Optional.empty();
        } catch (ReaderException e) {
            diags.error("the file holds " + ControlChars.describe(e.getCodePoint()) + ", which YAML does not allow",
                    position(file, text, e.getPosition()),
                    "Remove it; a control character can only be written as an escape of a double-quoted string, and pig"
                            + " refuses those in values too.");
            return Optional.empty();
        } catch (YamlEngineException e) {
            String msg = String.valueOf(e.getMessage());
            if (msg.contains("aliases")) {
                diags.error("the file uses too many YAML aliases (more than " + MAX_COLLECTION_ALIASES + ")",
                        new Source(file, 1, 1),
                        "Refusing to expand it: this looks like an alias bomb. Write the values out instead of using anchors.");
            } else {
                diags.error("the file could not be read as YAML: " + msg, new Source(file, 1, 1),
                        "Check that it is a UTF-8 YAML file.");
            }
            return Optional.empty();
        }
        if (root.isEmpty() || isNullScalar(root.get())) {
            diags.error("the inventory is empty", new Source(file, 0, 0),
                    "Start from inventory-examples/meta.yml: an inventory needs 'all:' with 'children:' groups and 'vars:'.");
            return Optional.empty();
        }
        YamlTree t = new YamlTree(file, diags);
        long limit = MAX_NODES + parser.written;
        Expansion size = new Expansion(limit);
        if (size.of(root.get()) > limit) {
            diags.error("the file's YAML aliases expand to more than " + MAX_NODES + " values beyond those written",
                    t.at(size.culprit()),
                    "Refusing to expand it: this looks like an alias bomb. Write the values out instead of using anchors.");
            return Optional.empty();
        }
        return Optional.ofNullable(t.convert(root.get(), new IdentityHashMap<>()));
    }

    /**
     * A syntax error at the place parsing stopped and, when snakeyaml knows it, the place the
     * unfinished construct began: an unclosed '{' on line 8 is only noticed on line 9.
     */
    private static void syntaxError(String file, MarkedYamlEngineException e, Diagnostics diags) {
        Source at = e.getProblemMark().map(m -> at(file, m)).orElse(new Source(file, 1, 1));
        String problem = String.valueOf(e.getProblem()).strip();
        Optional<Source> begun = e.getContextMark().map(m -> at(file, m))
                .filter(s -> s.line() != at.line() || s.column() != at.column());
        String context = e.getContext() == null ? "" : e.getContext().strip();
        if (begun.isEmpty() || context.isEmpty()) {
            diags.error("the file is not valid YAML: " + problem, at,
                    "Fix the YAML syntax at this position (indentation, a missing ':' or an unclosed quote).");
            return;
        }
        Source b = begun.get();
        String where = "line " + b.line() + ", column " + b.column();
        String what;
        String label;
        String hint;
        switch (context) {
            case "while parsing a flow mapping" -> {
                what = "the flow mapping '{' opened on " + where + " is not closed";
                label = "the mapping was opened here";
                hint = "Close it with '}' where its entries end, or separate its entries with ','.";
            }
            case "while parsing a flow sequence" -> {
                what = "the flow sequence '[' opened on " + where + " is not closed";
                label = "the list was opened here";
                hint = "Close it with ']' where its items end, or separate its items with ','.";
            }
            case "while scanning a quoted scalar" -> {
                what = "the quoted string opened on " + where + " is not closed";
                label = "the string was opened here";
                hint = "Close it with the same quote it was opened with.";
            }
            case "while scanning a simple key" -> {
                what = "the key on " + where + " has no ':' after it";
                label = "the key starts here";
                hint = "Write 'key: value', with a space after the ':'.";
            }
            case "while parsing a block mapping", "while parsing a block collection" -> {
                what = "this line does not fit the indentation of the block that starts on " + where;
                label = "the block starts here";
                hint = "Indent the line like the other keys of that block, or fix the line above it.";
            }
            default -> {
                what = context + " that starts on " + where;
                label = "it starts here";
                hint = "Fix the YAML syntax at this position (indentation, a missing ':' or an unclosed quote).";
            }
        }
        diags.add(Diagnostic.error("the file is not valid YAML: " + what + " (" + problem + ")", at, hint)
                .withRelated(new Diagnostic.Related(label, b, "")));
    }

    /** Line and column of the code point at {@code index} (the reader counts code points). */
    private static Source position(String file, String text, int index) {
        int line = 1;
        int col = 1;
        int cp = 0;
        for (int i = 0; i < text.length() && cp < index; i += Character.charCount(text.codePointAt(i)), cp++) {
            if (text.charAt(i) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return new Source(file, line, col);
    }

    static LoadSettings settings(String file) {
        return settings(file, 1024);
    }

    /**
     * snakeyaml's reader copies what it has buffered each time it reads more, so a value longer
     * than its buffer costs time quadratic in its length (5 MB: 10 s). With the whole text in one
     * buffer it is read once.
     */
    static LoadSettings settings(String file, int textLength) {
        return LoadSettings.builder()
                .setLabel(file)
                .setAllowDuplicateKeys(true) // reported by us, with both positions
                .setAllowRecursiveKeys(false)
                .setMaxAliasesForCollections(MAX_COLLECTION_ALIASES)
                .setCodePointLimit(MAX_CHARS + 1)
                .setBufferSize(Math.max(1024, Math.min(textLength, MAX_CHARS) + 1))
                .build();
    }

    /** A limit of {@link LimitedParser}, where it was crossed and what to do. */
    private static final class LimitExceeded extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Mark mark;
        private final String hint;

        LimitExceeded(String message, Optional<Mark> mark, String hint) {
            super(message, null, false, false);
            this.mark = mark.orElse(null);
            this.hint = hint;
        }
    }

    /**
     * The parser's events, checked as they stream past, before the composer (which recurses per
     * level) builds anything from them: nesting depth, value length and the number of values.
     */
    private static final class LimitedParser implements Parser {
        private final Parser inner;
        private int depth;
        private long written;

        LimitedParser(Parser inner) {
            this.inner = inner;
        }

        @Override
        public boolean checkEvent(Event.ID id) {
            return inner.checkEvent(id);
        }

        @Override
        public Event peekEvent() {
            return inner.peekEvent();
        }

        @Override
        public boolean hasNext() {
            return inner.hasNext();
        }

        @Override
        public Event next() {
            Event e = inner.next();
            switch (e.getEventId()) {
                case SequenceStart, MappingStart -> {
                    written++;
                    if (++depth > MAX_DEPTH) {
                        throw new LimitExceeded("values nest more than " + MAX_DEPTH + " levels deep", e.getStartMark(),
                                "An inventory nests a few levels (all, children, a group, vars, a parameter); this looks like"
                                        + " generated or hostile input.");
                    }
                }
                case SequenceEnd, MappingEnd -> depth--;
                case Scalar -> {
                    written++;
                    int length = ((ScalarEvent) e).getValue().length();
                    if (length > MAX_SCALAR) {
                        throw new LimitExceeded("a value of " + length + " characters, more than pig reads in one value ("
                                + MAX_SCALAR + ")", e.getStartMark(), "Inventory values are names, addresses, paths and"
                                + " passwords; put large content in a file and give its path.");
                    }
                }
                default -> {
                }
            }
            if (written > MAX_WRITTEN) {
                throw new LimitExceeded("the file holds more than " + MAX_WRITTEN + " values", e.getStartMark(),
                        "A 1,000-host inventory holds about 10,000; split the file or check that it is an inventory.");
            }
            return e;
        }
    }

    /**
     * How many values a composed document expands to, aliases included, counted without expanding
     * it: an aliased node is measured once and its size reused wherever it appears, so a
     * billion-laughs document costs one visit per node as written. Sizes stop growing past the
     * limit, so they never overflow.
     */
    static final class Expansion {
        private final long limit;
        private final IdentityHashMap<Node, Long> sizes = new IdentityHashMap<>();
        private final IdentityHashMap<Node, Boolean> inProgress = new IdentityHashMap<>();
        private int visits;
        private Node culprit;

        Expansion(long limit) {
            this.limit = limit;
        }

        /** Values the node expands to, at most {@code limit + 1}. */
        long of(Node n) {
            Long known = sizes.get(n);
            if (known != null) {
                return known;
            }
            if (inProgress.containsKey(n)) {
                return 1; // a recursive alias: reported when converting
            }
            visits++;
            inProgress.put(n, Boolean.TRUE);
            long size = 1;
            boolean childOver = false;
            if (n instanceof SequenceNode seq) {
                for (Node c : seq.getValue()) {
                    long cs = of(c);
                    childOver |= cs > limit;
                    size = Math.min(limit + 1, size + cs);
                }
            } else if (n instanceof MappingNode map) {
                for (NodeTuple t : map.getValue()) {
                    long cs = of(t.getValueNode());
                    childOver |= cs > limit;
                    size = Math.min(limit + 1, size + cs);
                }
            }
            inProgress.remove(n);
            if (size > limit && !childOver && culprit == null) {
                culprit = n; // the innermost value too large by itself, where the error points
            }
            sizes.put(n, size);
            return size;
        }

        /** Nodes measured (each once). */
        int visits() {
            return visits;
        }

        /** The innermost node that expands past the limit, or null. */
        Node culprit() {
            return culprit;
        }
    }

    private static boolean isNullScalar(Node n) {
        return n instanceof ScalarNode s && s.isPlain() && isNullText(s.getValue());
    }

    private static boolean isNullText(String v) {
        return v.isEmpty() || v.equals("~") || v.equalsIgnoreCase("null");
    }

    static Source at(String file, Mark m) {
        return m == null ? new Source(file, 1, 1) : new Source(file, m.getLine() + 1, m.getColumn() + 1);
    }

    private Source at(Node n) {
        return n.getStartMark().map(m -> at(file, m)).orElse(new Source(file, 0, 0));
    }

    private YNode convert(Node n, IdentityHashMap<Node, Boolean> path) {
        if (path.containsKey(n)) {
            diags.error("a YAML alias refers to a value that contains itself", at(n),
                    "Remove the recursive alias: an inventory value cannot contain itself.");
            return null;
        }
        if (n instanceof ScalarNode s) {
            return scalar(s);
        }
        path.put(n, Boolean.TRUE);
        try {
            if (n instanceof SequenceNode seq) {
                List<YNode> items = new ArrayList<>();
                for (Node c : seq.getValue()) {
                    YNode y = convert(c, path);
                    items.add(y == null ? new YNode.Scalar(null, "", false, at(c)) : y);
                }
                return new YNode.Seq(items, at(n));
            }
            MappingNode map = (MappingNode) n;
            Map<String, YNode.Entry> entries = new LinkedHashMap<>();
            for (NodeTuple t : mergedTuples(map)) {
                Node k = t.getKeyNode();
                if (!(k instanceof ScalarNode ks)) {
                    diags.error("a mapping key must be a plain value, not " + (k instanceof SequenceNode ? "a list" : "a mapping"),
                            at(k), "Use a string as the key.");
                    continue;
                }
                String key = ks.getValue();
                YNode.Entry prev = entries.get(key);
                if (prev != null && isMergeOrigin(t)) {
                    continue;
                }
                if (prev != null) {
                    diags.error("duplicate key '" + key + "'", at(k),
                            "The key was already set at line " + prev.keySource().line()
                                    + "; YAML keeps only one of them. Remove or merge one of the two.");
                    continue;
                }
                YNode v = convert(t.getValueNode(), path);
                entries.put(key, new YNode.Entry(key, at(k),
                        v == null ? new YNode.Scalar(null, "", false, at(t.getValueNode())) : v));
            }
            return new YNode.Map(entries, at(n));
        } finally {
            path.remove(n);
        }
    }

    /** YAML merge keys ({@code <<: *base}) are expanded: explicit keys win over merged ones. */
    private List<NodeTuple> mergedTuples(MappingNode map) {
        List<NodeTuple> explicit = new ArrayList<>();
        List<NodeTuple> merged = new ArrayList<>();
        for (NodeTuple t : map.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.isPlain() && k.getValue().equals("<<")) {
                Node v = t.getValueNode();
                List<Node> sources = v instanceof SequenceNode s ? s.getValue() : List.of(v);
                for (Node src : sources) {
                    if (src instanceof MappingNode m) {
                        for (NodeTuple mt : m.getValue()) {
                            merged.add(mt);
                        }
                    }
                }
            } else {
                explicit.add(t);
            }
        }
        if (merged.isEmpty()) {
            return explicit;
        }
        List<String> keys = explicit.stream()
                .map(t -> t.getKeyNode() instanceof ScalarNode s ? s.getValue() : "").toList();
        List<NodeTuple> out = new ArrayList<>(explicit);
        for (NodeTuple t : merged) {
            if (t.getKeyNode() instanceof ScalarNode s && !keys.contains(s.getValue())) {
                mergedTuples.put(t, Boolean.TRUE);
                out.add(t);
            }
        }
        return out;
    }

    /** A key brought in by a merge key is not a duplicate of the keys written next to it. */
    private boolean isMergeOrigin(NodeTuple t) {
        return mergedTuples.containsKey(t);
    }

    private YNode.Scalar scalar(ScalarNode s) {
        String v = s.getValue();
        Source src = at(s);
        if (!s.isPlain()) {
            return new YNode.Scalar(v, v, true, src);
        }
        return new YNode.Scalar(typed(v), v, false, src);
    }

    /** Types a mapping key the way a plain scalar would be typed (keys are kept as text). */
    public static Object typedKey(String key) {
        return typed(key);
    }

    /** Types a plain scalar as Ansible (PyYAML, YAML 1.1) would. */
    static Object typed(String v) {
        if (isNullText(v)) {
            return null;
        }
        switch (v) {
            case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON":
                return Boolean.TRUE;
            case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF":
                return Boolean.FALSE;
            default:
                break;
        }
        try {
            if (INT.matcher(v).matches()) {
                return Long.parseLong(v.replace("_", ""));
            }
            if (HEX.matcher(v).matches()) {
                return Long.parseLong(v.substring(2).replace("_", ""), 16);
            }
            if (OCT.matcher(v).matches() && v.length() > 1) {
                String digits = v.startsWith("0o") ? v.substring(2) : v.substring(1);
                return Long.parseLong(digits.replace("_", ""), 8);
            }
            if (FLOAT.matcher(v).matches() && !v.equals(".")) {
                return Double.parseDouble(v.replace("_", ""));
            }
        } catch (NumberFormatException e) {
            return v;
        }
        return v;
    }
}

