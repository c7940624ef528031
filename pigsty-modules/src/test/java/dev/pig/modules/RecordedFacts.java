package dev.pig.modules;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.pig.core.fact.FactParsers;
import dev.pig.core.fact.FactRequest;
import dev.pig.core.plan.Step;

/**
 * What the facts script printed on one host, section by section: a recorded output (usually
 * {@code node/facts/debian12-fresh.out}) with module sections added by name and edits on top.
 * Immutable; every edit returns a new value. An edit that finds nothing to change fails, so a
 * fixture that drifted cannot turn a test into one that passes whatever the code does.
 *
 * <pre>{@code
 * RecordedFacts.of("node/facts/debian12-fresh.out")
 *         .extFixture("pgsql.patroni.pg-test", "pgsql/patroni-cluster.json")
 *         .ext("pgsql.catalog.pg-test", "")
 *         .fileMissing("/var/lib/pig/node-repo.sha256");
 * }</pre>
 */
public final class RecordedFacts {
    private static final String EXT = "ext:";

    private final Map<String, String> sections;
    /** Module sections a test added by name: the fixture checks the module has them, so a misspelt name fails. */
    private final Set<String> added;
    /** When set, every guard command of the request exits with this code. */
    private final Integer checks;

    private RecordedFacts(Map<String, String> sections, Set<String> added, Integer checks) {
        this.sections = sections;
        this.added = added;
        this.checks = checks;
    }

    /** The output recorded in {@code src-test-fixtures/<fixture>}. */
    public static RecordedFacts of(String fixture) {
        return parse(Fixtures.read(fixture));
    }

    /** A fresh Debian 12 node, as recorded: nothing of pig's installed yet. */
    public static RecordedFacts freshDebian12() {
        return of("node/facts/debian12-fresh.out");
    }

    public static RecordedFacts parse(String output) {
        return new RecordedFacts(FactParsers.sections(output), Set.of(), null);
    }

    /** A built-in section ({@code cpu}, {@code files}, {@code units} ...) replaced by {@code body}. */
    public RecordedFacts section(String name, String body) {
        Map<String, String> s = new LinkedHashMap<>(sections);
        s.put(name, body.isEmpty() || body.endsWith("\n") ? body : body + "\n");
        return new RecordedFacts(s, added, checks);
    }

    /** A module section by its name ({@code pgsql.catalog.pg-test}), added or replaced. */
    public RecordedFacts ext(String name, String body) {
        Set<String> a = new LinkedHashSet<>(added);
        a.add(name);
        RecordedFacts r = section(EXT + name, body);
        return new RecordedFacts(r.sections, a, checks);
    }

    /** A module section by its name, with the text of {@code src-test-fixtures/<fixture>}. */
    public RecordedFacts extFixture(String name, String fixture) {
        return ext(name, Fixtures.read(fixture));
    }

    /** Every guard command of the host's request ({@code CommandTask.unless} ...) exits with {@code code}. */
    public RecordedFacts checks(int code) {
        return new RecordedFacts(sections, added, code);
    }

    /** Every {@code from} in the output becomes {@code to}; fails when the output has no {@code from}. */
    public RecordedFacts replace(String from, String to) {
        String text = text();
        if (!text.contains(from)) {
            throw new AssertionError("the recorded facts have no " + show(from));
        }
        return parse(text.replace(from, to)).keeping(this);
    }

    /** Every match of {@code regex} (multi-line mode) replaced; fails when nothing matches. */
    public RecordedFacts replaceAll(String regex, String replacement) {
        String text = text();
        Matcher m = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
        if (!m.find()) {
            throw new AssertionError("nothing in the recorded facts matches " + show(regex));
        }
        return parse(m.replaceAll(replacement)).keeping(this);
    }

    /** The recorded file {@code path} holding {@code content} now, with its mode and owner as recorded. */
    public RecordedFacts fileContent(String path, String content) {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        String[] f = fileLine(path).split("\t", -1);
        return fileEntry(path, path + "\tfile\t" + f[2] + "\t" + f[3] + "\t" + f[4] + "\t" + b.length + "\t" + Step.Hashes.sha256(b)
                + "\t\n@@content " + Base64.getEncoder().encodeToString(b) + "\n");
    }

    /** The recorded file {@code path} with another hash: changed, though the test does not care how. */
    public RecordedFacts fileHash(String path, String sha256) {
        String[] f = fileLine(path).split("\t", -1);
        f[6] = sha256;
        String content = contentLine(path);
        return fileEntry(path, String.join("\t", f) + "\n" + (content == null ? "" : content + "\n"));
    }

    /** {@code path} gone from the host. */
    public RecordedFacts fileMissing(String path) {
        fileLine(path);
        return fileEntry(path, path + "\tmissing\t\t\t\t0\t\t\n");
    }

    /** {@code path} as a file with this mode, owner and content, added to the recorded ones or replacing its entry. */
    public RecordedFacts file(String path, String mode, String owner, String group, String content) {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        return fileEntry(path, path + "\tfile\t" + mode + "\t" + owner + "\t" + group + "\t" + b.length + "\t" + Step.Hashes.sha256(b)
                + "\t\n@@content " + Base64.getEncoder().encodeToString(b) + "\n");
    }

    /** The text of a section, built-in or {@code ext:<name>}; empty when the output has none. */
    public String section(String name) {
        return sections.getOrDefault(name, "");
    }

    /** Whether the output has the section, built-in or {@code ext:<name>}. */
    public boolean has(String name) {
        return sections.containsKey(name);
    }

    /** Module sections added by name. */
    public Set<String> added() {
        return added;
    }

    /** The output as the facts script prints it. */
    public String text() {
        StringBuilder b = new StringBuilder();
        sections.forEach((name, body) -> b.append(FactParsers.SECTION).append(name).append('\n').append(body));
        return b.append(FactParsers.END).append('\n').toString();
    }

    /** The output for {@code request}: the answers to its guard commands when {@link #checks} set them. */
    public String text(FactRequest request) {
        if (checks == null) {
            return text();
        }
        return section("checks", (checks + "\n").repeat(request.checks().size())).text();
    }

    private RecordedFacts keeping(RecordedFacts before) {
        return new RecordedFacts(sections, before.added, before.checks);
    }

    /** The entries of the files section: a line per path, and the {@code @@content} line after it when there is one. */
    private Map<String, List<String>> files() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        List<String> last = null;
        for (String line : section("files").lines().toList()) {
            if (line.startsWith("@@content ") && last != null) {
                last.add(line);
            } else {
                last = new ArrayList<>(List.of(line));
                out.put(line.split("\t", 2)[0], last);
            }
        }
        return out;
    }

    private String fileLine(String path) {
        List<String> entry = files().get(path);
        if (entry == null) {
            throw new AssertionError("the recorded facts have no file " + path);
        }
        return entry.get(0);
    }

    private String contentLine(String path) {
        List<String> entry = files().get(path);
        return entry != null && entry.size() > 1 ? entry.get(1) : null;
    }

    private RecordedFacts fileEntry(String path, String entry) {
        Map<String, List<String>> files = files();
        files.put(path, entry.lines().toList());
        StringBuilder b = new StringBuilder();
        files.values().forEach(lines -> lines.forEach(l -> b.append(l).append('\n')));
        return section("files", b.toString());
    }

    private static String show(String s) {
        return "'" + s.replace("\t", "\\t").replace("\n", "\\n") + "'";
    }
}
