package dev.pig.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import dev.pig.core.diag.PigException;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.HostPlan;
import dev.pig.core.plan.Step;

/**
 * A task case as data: {@code src-test-fixtures/<module>/cases/<case>.yml} holds an inventory,
 * the facts each host reports and what planning must give, and {@link #all} makes one test of
 * each file. The format is described in {@code docs/development.md} (Tests); in short:
 *
 * <pre>{@code
 * inventory: inventory-examples/sandbox.yml   # or the inventory itself, as a map
 * vars: [pg_dbsu_sudo=none]                  # -e values
 * facts: node/facts/debian12-fresh.out        # under src-test-fixtures; {host} is each host's address
 * sections: { pgsql.patroni.pg-test: pgsql/patroni-cluster.json, pgsql.catalog.pg-test: { text: "" } }
 * expect:
 *   10.10.10.11:
 *     changes:
 *       - { task: file /etc/sudoers.d/postgres, noop: pg_dbsu_sudo is none }
 * }</pre>
 *
 * Every key is checked: a misspelt one fails the case instead of being ignored. Every command a
 * planned action runs must pass {@code sh -n}.
 */
public final class PlanningCase {
    private static final Set<String> CASE_KEYS = Set.of("inventory", "vars", "plan", "tags", "fleet", "facts", "sections",
            "replace", "files", "checks", "expect");
    private static final Set<String> FACT_KEYS = Set.of("facts", "sections", "replace", "files", "checks");
    private static final Set<String> HOST_KEYS = Set.of("actions", "summaries", "changes", "fails");
    private static final Set<String> CHANGE_KEYS = Set.of("task", "tag", "absent", "action", "summary", "noop", "stage", "steps",
            "input", "diff", "upload");
    private static final Set<String> MATCH_KEYS = Set.of("starts", "ends", "contains", "lacks");

    private final String name;
    private final Map<String, Object> doc;

    private PlanningCase(String name, Map<String, Object> doc) {
        this.name = name;
        this.doc = doc;
    }

    /** One test for each case of {@code src-test-fixtures/<module>/cases/}, planned with a new {@code module}. */
    public static Stream<DynamicTest> all(String module, String defaultInventory, Supplier<PigModule> modules) {
        Path dir = Fixtures.path(module + "/cases");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertFalse(files.isEmpty(), "no cases in " + dir);
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString().replaceFirst("\\.(yml|json)$", ""), f.toUri(),
                () -> load(f).check(modules.get(), defaultInventory)));
    }

    /** A case file; JSON is YAML too. */
    public static PlanningCase load(Path file) {
        Object doc = new Load(LoadSettings.builder().setLabel(file.toString()).build()).loadFromString(Fixtures.read(file));
        String name = file.getFileName().toString();
        return new PlanningCase(name, map(doc, name));
    }

    /** Plans the case and checks every expectation it holds. */
    public void check(PigModule module, String defaultInventory) {
        PlanningFixture f = fixture(module, defaultInventory);
        var facts = f.fleet();
        for (var e : expect().entrySet()) {
            String host = e.getKey();
            String at = name + ": " + host;
            Map<String, Object> x = map(e.getValue(), at);
            keys(x, HOST_KEYS, at);
            assertFalse(x.isEmpty(), at + ": nothing expected");
            assertTrue(facts.containsKey(host), at + ": not in the fleet " + facts.keySet());
            HostPlan p;
            try {
                p = f.plan(host, f.tasks(host), facts);
            } catch (PigException failure) {
                assertTrue(x.containsKey("fails"), at + ": planning failed: " + failure.getMessage());
                match(x.get("fails"), failure.getMessage(), at + ": the failure");
                assertEquals(Set.of("fails"), x.keySet(), at + ": a host that fails has nothing else to check");
                continue;
            }
            assertFalse(x.containsKey("fails"), at + ": planning did not fail");
            checkHost(p, x, at);
        }
    }

    /** What is expected of each host, by host. */
    Map<String, Object> expect() {
        Map<String, Object> expect = map(doc.get("expect"), name + ": expect");
        assertFalse(expect.isEmpty(), name + ": expect names no host");
        return expect;
    }

    /** The case's inventory, tasks and every host's facts. */
    PlanningFixture fixture(PigModule module, String defaultInventory) {
        keys(doc, CASE_KEYS, name);
        List<String> vars = strings(doc.getOrDefault("vars", List.of()), name + ": vars");
        Object inventory = doc.getOrDefault("inventory", defaultInventory);
        PlanningFixture f = inventory instanceof Map<?, ?> inline
                ? PlanningFixture.inline(module, new Dump(DumpSettings.builder().build()).dumpToString(inline), vars.toArray(String[]::new))
                : PlanningFixture.of(module, Fixtures.root().resolve(string(inventory, name + ": inventory")), vars);
        String plan = string(doc.getOrDefault("plan", "tasks"), name + ": plan");
        f = switch (plan) {
            case "tasks" -> f;
            case "removal" -> f.removal();
            default -> throw new AssertionError(name + ": plan is tasks or removal, not " + plan);
        };
        if (doc.containsKey("tags")) {
            f = f.tags(strings(doc.get("tags"), name + ": tags"));
        }
        for (var e : fleet(expect()).entrySet()) {
            f = f.host(e.getKey(), facts(e.getKey(), map(e.getValue(), name + ": fleet " + e.getKey())));
        }
        return f;
    }

    /** Each host with facts, and what of its facts differs from the case's. */
    private Map<String, Object> fleet(Map<String, Object> expect) {
        Object fleet = doc.get("fleet");
        Map<String, Object> out = new LinkedHashMap<>();
        if (fleet == null) {
            expect.keySet().forEach(h -> out.put(h, Map.of()));
        } else if (fleet instanceof List<?>) {
            strings(fleet, name + ": fleet").forEach(h -> out.put(h, Map.of()));
        } else {
            map(fleet, name + ": fleet").forEach((h, v) -> out.put(h, v == null ? Map.of() : v));
        }
        return out;
    }

    /** What {@code host} reports: the case's facts, with the fleet entry's on top; {@code {host}} is the host's address. */
    private RecordedFacts facts(String host, Map<String, Object> own) {
        String at = name + ": facts of " + host;
        keys(own, FACT_KEYS, at);
        Object base = own.getOrDefault("facts", doc.get("facts"));
        RecordedFacts r = RecordedFacts.of(sub(string(base, at + ": facts (the recorded output)"), host));
        Map<String, Object> sections = new LinkedHashMap<>(map(doc.getOrDefault("sections", Map.of()), at + ": sections"));
        sections.putAll(map(own.getOrDefault("sections", Map.of()), at + ": sections"));
        for (var s : sections.entrySet()) {
            String where = at + ": section " + s.getKey();
            if (s.getValue() instanceof Map<?, ?> m) {
                Map<String, Object> text = map(m, where);
                keys(text, Set.of("text"), where);
                r = r.ext(s.getKey(), sub(string(text.get("text"), where + ": text"), host));
            } else {
                r = r.extFixture(s.getKey(), sub(string(s.getValue(), where), host));
            }
        }
        List<Object> edits = new ArrayList<>(list(doc.getOrDefault("replace", List.of()), at + ": replace"));
        edits.addAll(list(own.getOrDefault("replace", List.of()), at + ": replace"));
        for (Object edit : edits) {
            Map<String, Object> e = map(edit, at + ": replace");
            keys(e, Set.of("from", "to"), at + ": replace");
            r = r.replace(sub(string(e.get("from"), at + ": replace from"), host), sub(string(e.get("to"), at + ": replace to"), host));
        }
        Map<String, Object> files = new LinkedHashMap<>(map(doc.getOrDefault("files", Map.of()), at + ": files"));
        files.putAll(map(own.getOrDefault("files", Map.of()), at + ": files"));
        for (var file : files.entrySet()) {
            String where = at + ": file " + file.getKey();
            Map<String, Object> spec = map(file.getValue(), where);
            keys(spec, Set.of("content", "sha256", "missing"), where);
            assertEquals(1, spec.size(), where + ": one of content, sha256, missing");
            if (spec.containsKey("content")) {
                r = r.fileContent(file.getKey(), sub(string(spec.get("content"), where), host));
            } else if (spec.containsKey("sha256")) {
                r = r.fileHash(file.getKey(), string(spec.get("sha256"), where));
            } else {
                assertEquals(Boolean.TRUE, spec.get("missing"), where + ": missing: true");
                r = r.fileMissing(file.getKey());
            }
        }
        Object checks = own.getOrDefault("checks", doc.get("checks"));
        if (checks != null) {
            assertTrue(checks instanceof Integer, at + ": checks is the exit code every guard command answers");
            r = r.checks((Integer) checks);
        }
        return r;
    }

    private static void checkHost(HostPlan p, Map<String, Object> x, String at) {
        if (x.containsKey("actions")) {
            assertEquals(strings(x.get("actions"), at + ": actions"), PlanningFixture.acting(p), at + ": the tasks that act");
        }
        if (x.containsKey("summaries")) {
            assertEquals(strings(x.get("summaries"), at + ": summaries"), PlanningFixture.summaries(p), at + ": the summaries of the actions");
        }
        for (Object c : list(x.getOrDefault("changes", List.of()), at + ": changes")) {
            checkChange(p, map(c, at + ": change"), at);
        }
        // a command sh cannot even parse would fail on the host, whatever the case is about
        p.actions().forEach(a -> a.steps().forEach(s -> {
            if (s instanceof Step.Exec e) {
                PlanningFixture.assertValidShell(e.command());
            }
        }));
    }

    private static void checkChange(HostPlan p, Map<String, Object> x, String host) {
        keys(x, CHANGE_KEYS, host);
        String task = x.containsKey("task") ? string(x.get("task"), host + ": task") : null;
        String at = host + ": " + (task != null ? task : "tag " + x.get("tag"));
        assertTrue(task != null || x.containsKey("tag"), at + ": a change is found by its task or its tag");
        if (x.containsKey("absent")) {
            assertEquals(Set.of("task", "absent"), x.keySet(), at + ": absent goes with the task alone");
            assertEquals(Boolean.TRUE, x.get("absent"), at + ": absent: true");
            assertTrue(p.changes().stream().noneMatch(c -> c.task().equals(task)), at + ": in the plan, expected absent");
            return;
        }
        assertTrue(x.size() > 1, at + ": nothing expected of it");
        Change c;
        if (task != null) {
            c = PlanningFixture.change(p, task);
            if (x.containsKey("tag")) {
                assertEquals(string(x.get("tag"), at + ": tag"), c.tag(), at + ": its tag");
            }
        } else {
            c = PlanningFixture.tagged(p, string(x.get("tag"), at + ": tag"));
        }
        if (x.containsKey("noop")) {
            assertFalse(x.containsKey("action") || x.containsKey("summary") || x.containsKey("steps") || x.containsKey("input")
                    || x.containsKey("diff") || x.containsKey("upload"), at + ": a no-op has a reason only");
            assertTrue(c instanceof Change.NoOp, at + ": acts, expected a no-op: " + (c instanceof Change.Act a ? a.summary() : ""));
            match(x.get("noop"), ((Change.NoOp) c).reason(), at + ": the reason");
        } else {
            assertTrue(c instanceof Change.Act, at + ": is a no-op, expected an action: " + (c instanceof Change.NoOp n ? n.reason() : ""));
            Change.Act a = (Change.Act) c;
            if (x.containsKey("action")) {
                assertEquals(string(x.get("action"), at + ": action"), a.action().symbol(), at + ": the action");
            }
            if (x.containsKey("summary")) {
                match(x.get("summary"), a.summary(), at + ": the summary");
            }
            if (x.containsKey("steps")) {
                List<Object> steps = list(x.get("steps"), at + ": steps");
                List<String> shown = a.steps().stream().map(Step::shown).toList();
                assertEquals(steps.size(), shown.size(), at + ": the number of steps: " + shown);
                for (int i = 0; i < steps.size(); i++) {
                    match(steps.get(i), shown.get(i), at + ": step " + (i + 1));
                }
            }
            if (x.containsKey("input")) {
                String input = a.steps().stream().map(st -> st instanceof Step.Exec e && e.input() != null ? e.input() : "")
                        .reduce("", String::concat);
                match(x.get("input"), input, at + ": what its steps read on stdin");
            }
            if (x.containsKey("diff")) {
                match(x.get("diff"), a.diff(), at + ": the diff");
            }
            if (x.containsKey("upload")) {
                match(x.get("upload"), PlanningFixture.uploaded(a), at + ": the upload");
            }
        }
        if (x.containsKey("stage")) {
            match(x.get("stage"), p.stages().get(p.changes().indexOf(c)), at + ": the stage");
        }
    }

    /** A string is the whole text; a map says what the text starts or ends with, contains, or lacks. */
    private static void match(Object expected, String actual, String at) {
        if (!(expected instanceof Map<?, ?>)) {
            assertEquals(string(expected, at), actual, at);
            return;
        }
        Map<String, Object> m = map(expected, at);
        keys(m, MATCH_KEYS, at);
        assertFalse(m.isEmpty(), at + ": nothing to match");
        if (m.containsKey("starts")) {
            String s = string(m.get("starts"), at);
            assertTrue(actual.startsWith(s), at + " does not start with " + s + ":\n" + actual);
        }
        if (m.containsKey("ends")) {
            String s = string(m.get("ends"), at);
            assertTrue(actual.endsWith(s), at + " does not end with " + s + ":\n" + actual);
        }
        for (String s : oneOrMore(m.get("contains"), at)) {
            assertTrue(actual.contains(s), at + " does not contain " + s + ":\n" + actual);
        }
        for (String s : oneOrMore(m.get("lacks"), at)) {
            assertFalse(actual.contains(s), at + " contains " + s + ":\n" + actual);
        }
    }

    private static List<String> oneOrMore(Object v, String at) {
        return v == null ? List.of() : v instanceof List<?> ? strings(v, at) : List.of(string(v, at));
    }

    private static String sub(String s, String host) {
        return s.replace("{host}", host);
    }

    private static void keys(Map<String, Object> m, Set<String> known, String at) {
        for (String k : m.keySet()) {
            assertTrue(known.contains(k), at + ": unknown key " + k + "; known: " + known.stream().sorted().toList());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object v, String at) {
        assertTrue(v instanceof Map<?, ?>, at + ": a map expected, not " + v);
        Map<String, Object> out = new LinkedHashMap<>();
        ((Map<Object, Object>) v).forEach((k, val) -> out.put(String.valueOf(k), val));
        return out;
    }

    private static List<Object> list(Object v, String at) {
        assertTrue(v instanceof List<?>, at + ": a list expected, not " + v);
        return new ArrayList<>((List<?>) v);
    }

    private static List<String> strings(Object v, String at) {
        return list(v, at).stream().map(x -> string(x, at)).toList();
    }

    private static String string(Object v, String at) {
        // a number is refused, not turned into text: YAML reads 0440 as 440 and 1.10 as 1.1
        assertTrue(v instanceof String, at + ": a string expected (quote it), not " + v);
        return (String) v;
    }
}
