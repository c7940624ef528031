package dev.pig.modules.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * pig's own rules and dashboards, and the configurations INFRA renders, checked by the programs
 * that read them where this machine has them (Debian's victoria-metrics, prometheus-alertmanager
 * and prometheus-blackbox-exporter; CI installs them and sets {@code -Dpig.tools.required=true},
 * which turns a missing program into a failure): vmalert's {@code -dryRun} on every rule file,
 * {@code amtool check-config}, VictoriaMetrics' {@code -promscrape.config.dryRun}, the blackbox
 * exporter's {@code --config.check}. The dashboards are checked for the shape Grafana provisions
 * and for their queries' use of variables; their queries' data is InfraIT's.
 */
class InfraFilesTest {
    static final Path ROOT = InfraFixtures.root();
    static final Path RULES = ROOT.resolve("templates/infra/rules");
    static final Path DASHBOARDS = ROOT.resolve("templates/infra/dashboards");
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern VARIABLE = Pattern.compile("\\$([a-zA-Z_][a-zA-Z0-9_]*)");

    /** Runs a program of this machine; skipped where it is missing unless the tools are required. */
    static String tool(List<String> command) throws IOException, InterruptedException {
        boolean present = Stream.of(System.getenv("PATH").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, command.get(0))));
        if (!present && Boolean.getBoolean("pig.tools.required")) {
            throw new AssertionError(command.get(0) + " is missing: apt-get install victoria-metrics prometheus-alertmanager"
                    + " prometheus-blackbox-exporter (.ci/run does)");
        }
        assumeTrue(present, command.get(0) + " is not installed here");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), command + " did not finish");
        assertEquals(0, p.exitValue(), command + " refused it:\n" + out);
        return out;
    }

    static List<Path> files(Path dir, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        }
    }

    @TestFactory
    Stream<DynamicTest> vmalert_accepts_every_rule_file() throws IOException {
        return files(RULES, ".yml").stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(),
                () -> tool(List.of("vmalert", "-dryRun", "-loggerLevel=ERROR", "-rule=" + f))));
    }

    @Test
    void the_module_ships_every_rule_file_and_every_dashboard() throws IOException {
        assertEquals(new LinkedHashSet<>(Victoria.RULES), Set.copyOf(files(RULES, ".yml").stream().map(p -> p.getFileName().toString()).toList()));
        assertEquals(new LinkedHashSet<>(Grafana.DASHBOARDS),
                Set.copyOf(files(DASHBOARDS, ".json").stream().map(p -> p.getFileName().toString()).toList()));
    }

    @Test
    void every_alert_has_a_severity_pig_routes_and_a_summary() throws IOException {
        Set<String> names = new HashSet<>();
        int alerts = 0;
        int records = 0;
        for (Path f : files(RULES, ".yml")) {
            Map<?, ?> doc = (Map<?, ?>) new Load(LoadSettings.builder().build()).loadFromString(Files.readString(f));
            for (Object g : (List<?>) doc.get("groups")) {
                for (Object r : (List<?>) ((Map<?, ?>) g).get("rules")) {
                    Map<?, ?> rule = (Map<?, ?>) r;
                    if (rule.containsKey("record")) {
                        records++;
                        assertTrue(String.valueOf(rule.get("record")).matches("[a-z]+:[a-z]+:[a-z0-9_]+"), "level:labels:name: " + rule);
                        continue;
                    }
                    alerts++;
                    assertTrue(names.add(String.valueOf(rule.get("alert"))), "one rule per alert name: " + rule.get("alert"));
                    Map<?, ?> labels = (Map<?, ?>) rule.get("labels");
                    assertTrue(List.of("CRIT", "WARN", "INFO").contains(labels.get("severity")), f + ": " + rule);
                    Map<?, ?> annotations = (Map<?, ?>) rule.get("annotations");
                    assertFalse(String.valueOf(annotations.get("summary")).isBlank(), f + ": " + rule);
                    assertFalse(String.valueOf(annotations.get("description")).isBlank(), f + ": " + rule);
                }
            }
        }
        assertTrue(alerts >= 30 && records >= 15, alerts + " alerts, " + records + " recording rules");
        for (String required : List.of("NodeDown", "NodeDiskFilling", "NodeMemoryHigh", "NodeLoadHigh", "PgsqlDown", "PgsqlReplicationLag",
                "PgsqlSlotRetention", "PgsqlConnectionSaturation", "PgsqlXidAge", "PgsqlLongTransaction", "PgsqlArchiveFailing",
                "PgsqlBackupTooOld", "PatroniNoLeader", "PatroniFailover", "PatroniPendingRestart", "PgbouncerPoolSaturation",
                "PgbouncerClientsWaiting", "HaproxyBackendDown", "HaproxyServiceNoServer", "EtcdNoLeader", "EtcdMemberDown",
                "EtcdDbSizeHigh", "ServicePortDown", "VipUnreachable")) {
            assertTrue(names.contains(required), required + " in " + names);
        }
    }

    @TestFactory
    Stream<DynamicTest> every_dashboard_has_the_shape_grafana_provisions() throws IOException {
        Set<String> uids = new HashSet<>();
        return files(DASHBOARDS, ".json").stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            JsonNode d = JSON.readTree(f.toFile());
            String uid = d.path("uid").asText();
            assertTrue(uid.matches("[a-z0-9-]{1,40}") && uids.add(uid), "a unique uid of at most 40 characters: " + uid);
            assertTrue(d.path("title").asText().startsWith("pig: "), "a title: " + d.path("title"));
            assertTrue(d.path("schemaVersion").asInt() > 30 && d.path("panels").isArray() && d.path("panels").size() > 0, f.toString());
            Set<String> defined = new HashSet<>();
            for (JsonNode v : d.path("templating").path("list")) {
                assertEquals("query", v.path("type").asText());
                assertEquals("vmetrics", v.path("datasource").path("uid").asText(), "variables query VictoriaMetrics");
                assertTrue(v.path("definition").asText().startsWith("label_values("), v.toString());
                for (String used : variables(v.path("definition").asText())) {
                    assertTrue(defined.contains(used), "variable " + v.path("name") + " uses $" + used + " before it is defined");
                }
                defined.add(v.path("name").asText());
            }
            Set<Integer> ids = new HashSet<>();
            List<String> problems = new ArrayList<>();
            for (JsonNode p : d.path("panels")) {
                assertTrue(ids.add(p.path("id").asInt()), "panel ids are unique: " + p.path("id"));
                JsonNode pos = p.path("gridPos");
                assertTrue(pos.path("w").asInt() > 0 && pos.path("x").asInt() + pos.path("w").asInt() <= 24 && pos.path("h").asInt() > 0,
                        "panel " + p.path("title") + " fits the 24-column grid: " + pos);
                assertTrue(List.of("timeseries", "stat", "table").contains(p.path("type").asText()), p.path("type").asText());
                assertFalse(p.path("description").asText().isBlank(), "panel " + p.path("title") + " says what it shows");
                assertEquals("vmetrics", p.path("datasource").path("uid").asText(), "panel " + p.path("title"));
                Set<String> refs = new HashSet<>();
                for (JsonNode t : p.path("targets")) {
                    assertTrue(refs.add(t.path("refId").asText()), "refIds are unique in " + p.path("title"));
                    String expr = t.path("expr").asText();
                    assertFalse(expr.isBlank(), "panel " + p.path("title") + " has a query");
                    for (String used : variables(expr)) {
                        if (!used.startsWith("__") && !defined.contains(used)) {
                            problems.add(p.path("title").asText() + " uses $" + used + ", which the dashboard does not define");
                        }
                    }
                }
            }
            assertEquals(List.of(), problems);
        }));
    }

    private static Set<String> variables(String expr) {
        Set<String> out = new HashSet<>();
        Matcher m = VARIABLE.matcher(expr);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void the_rendered_alertmanager_scrape_and_blackbox_configurations_are_accepted(@TempDir Path dir) throws Exception {
        Map<String, String> files = InfraTemplatesGoldenTest.rendered("10.10.10.10");
        Path am = dir.resolve("alertmanager.yml");
        Files.writeString(am, files.get("10.10.10.10/data_infra_conf_alertmanager.yml"));
        assertTrue(tool(List.of("amtool", "check-config", am.toString())).contains("2 receivers"));
        Path scrape = dir.resolve("prometheus.yml");
        Files.writeString(scrape, files.get("10.10.10.10/data_infra_prometheus.yml"));
        Files.writeString(dir.resolve("ca.crt"), files.get("10.10.10.10/data_infra_ca.crt"));
        tool(List.of("victoria-metrics", "-loggerLevel=ERROR", "-promscrape.config.dryRun", "-promscrape.config=" + scrape));
        Path blackbox = dir.resolve("blackbox.yml");
        Files.writeString(blackbox, files.get("10.10.10.10/data_infra_conf_blackbox.yml"));
        tool(List.of("prometheus-blackbox-exporter", "--config.check", "--config.file=" + blackbox));
    }

    @Test
    void every_registered_scrape_file_is_a_target_group_list_with_the_labels_dashboards_group_by() {
        InfraTemplatesGoldenTest.rendered("10.10.10.10").forEach((name, content) -> {
            if (!name.contains("_targets_")) {
                return;
            }
            Object doc = new Load(LoadSettings.builder().build()).loadFromString(content);
            for (Object g : (List<?>) doc) {
                Map<?, ?> group = (Map<?, ?>) g;
                Map<?, ?> labels = (Map<?, ?>) group.get("labels");
                for (String l : List.of("job", "cls", "ins", "ip")) {
                    assertTrue(labels.get(l) instanceof String s && !s.isEmpty(), name + " lacks " + l);
                }
                assertEquals(1, ((List<?>) group.get("targets")).size(), name);
                assertTrue(name.contains("_targets_" + labels.get("job") + "_"), "a file sits in its job's directory: " + name);
            }
        });
    }
}
