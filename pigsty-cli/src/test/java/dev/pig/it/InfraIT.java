package dev.pig.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import dev.pig.sandbox.system.Tools;

/**
 * INFRA end to end on the converged sandbox, 10.10.10.10 the infra node: every registered
 * target is up in VictoriaMetrics, vmalert has pig's rules, every dashboard query has data, the
 * portal lists the clusters in a real browser, the nodes resolve the registered names, a second
 * deploy changes and restarts nothing, a replica whose PostgreSQL stops fires the instance-down
 * alert in Alertmanager within two minutes and resolves when it is back, and removing an
 * instance removes what was registered for it.
 */
@ExtendWith(SandboxExtension.class)
@SandboxExtension.Converged
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InfraIT {
    static final String INV = SandboxExtension.INVENTORY.toString();
    static final String INFRA = "10.10.10.10";
    static final Victoria VM = new Victoria("http://" + INFRA + ":8428");
    static final Path DASHBOARDS = Path.of(System.getProperty("pig.root", "..")).resolve("templates/infra/dashboards");
    static final Path RULES = Path.of(System.getProperty("pig.root", "..")).resolve("templates/infra/rules");
    static final Path OUT = Path.of("target", "infra-it");
    static final List<String> UNITS = List.of("victoria-metrics", "vmalert", "prometheus-alertmanager", "prometheus-blackbox-exporter",
            "prometheus-nginx-exporter", "nginx", "dnsmasq");
    /** The values a dashboard's variables are tried with first. */
    static final Map<String, String> PREFERRED = Map.of("cls", "pg-test", "ins", "pg-test-1");

    static void waitFor(String what, int seconds, java.util.function.Supplier<String> problem) {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        String last = "";
        while (System.nanoTime() < end) {
            last = problem.get();
            if (last.isEmpty()) {
                return;
            }
            sleep(2000);
        }
        throw new AssertionError(what + " after " + seconds + " s: " + last);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The job/instance of every target that is not up. */
    static String targetsNotUp() {
        List<String> down = new ArrayList<>();
        for (JsonNode t : VM.targets()) {
            if (!t.path("health").asText().equals("up")) {
                down.add(t.path("labels").path("job").asText() + "/" + t.path("labels").path("instance").asText() + " "
                        + t.path("health").asText() + " " + t.path("lastError").asText());
            }
        }
        return down.isEmpty() ? "" : "not up: " + down;
    }

    /** The files registered under /data/infra/targets on the infra node, as job/name. */
    static Set<String> registered(SandboxExtension.Lab lab) {
        Set<String> out = new TreeSet<>();
        for (String l : lab.sh(INFRA, "cd /data/infra/targets && ls */*.yml").split("\n")) {
            if (!l.isBlank()) {
                out.add(l.strip().replaceFirst("\\.yml$", ""));
            }
        }
        return out;
    }

    static Map<String, String> mainPids(SandboxExtension.Lab lab) {
        Map<String, String> out = new TreeMap<>();
        for (String u : UNITS) {
            out.put(u, lab.sh(INFRA, "systemctl show -p MainPID,ActiveEnterTimestamp " + u));
        }
        for (String n : PgsqlIT.PG_TEST) {
            out.put(n + " postgres", lab.psql(n, "postgres", "SELECT pg_postmaster_start_time()"));
        }
        return out;
    }

    @Test
    @Order(1)
    void every_registered_target_is_up(SandboxExtension.Lab lab) throws IOException {
        Set<String> files = registered(lab);
        for (String expected : List.of("node/10.10.10.11", "haproxy/10.10.10.12", "etcd/etcd-1", "pgsql/pg-meta-1", "pgsql/pg-test-3",
                "pgbouncer/pg-test-1", "patroni/pg-test-2", "pgbackrest/pg-test-1", "ping/10.10.10.13", "ping/pg-test-vip", "tcp/pg-test-2",
                "tcp/pg-meta-vip", "vmetrics/infra-1", "vmalert/infra-1", "alertmanager/infra-1", "blackbox/infra-1", "nginx/infra-1")) {
            assertTrue(files.contains(expected), expected + " is not registered: " + files);
        }
        long t0 = System.nanoTime();
        waitFor("every target registered is up", 180, () -> {
            int known = VM.targets().size();
            return known < files.size() ? "VictoriaMetrics knows " + known + " targets of " + files.size() + " files" : targetsNotUp();
        });
        System.out.printf("infra: %d targets up %.1f s after the sandbox was converged%n", VM.targets().size(), (System.nanoTime() - t0) / 1e9);
        for (JsonNode t : VM.targets()) {
            JsonNode l = t.path("labels");
            for (String label : List.of("job", "cls", "ins", "ip", "instance")) {
                assertTrue(l.hasNonNull(label), "target without " + label + ": " + t);
            }
        }
        assertEquals(4, VM.query("up{job=\"patroni\"} == 1").size());
        // every probe of the blackbox exporter succeeds: pings of the nodes and VIPs (a raw
        // socket the exporter must be given) and connections to the service ports
        waitFor("every probe succeeds", 60, () -> {
            List<String> failing = new ArrayList<>();
            for (JsonNode r : VM.query("probe_success == 0")) {
                failing.add(r.path("metric").path("job").asText() + "/" + r.path("metric").path("ins").asText());
            }
            return VM.query("probe_success").size() < 8 ? "fewer than 8 probes have reported" : String.join(", ", failing);
        });
        assertEquals(List.of("pg-meta", "pg-test"), VM.labelValues("pg_up", "cls"));
        VM.capture(OUT.resolve("metrics.txt"));
    }

    @Test
    @Order(2)
    void vmalert_evaluates_every_rule_of_pig_without_errors() throws IOException {
        Set<String> expected = new TreeSet<>();
        try (var files = Files.list(RULES)) {
            for (Path f : files.toList()) {
                Object doc = new org.snakeyaml.engine.v2.api.Load(org.snakeyaml.engine.v2.api.LoadSettings.builder().build())
                        .loadFromString(Files.readString(f));
                for (Object g : (List<?>) ((Map<?, ?>) doc).get("groups")) {
                    expected.add(String.valueOf(((Map<?, ?>) g).get("name")));
                }
            }
        }
        waitFor("vmalert has evaluated every rule", 90, () -> {
            JsonNode groups = VM.get("http://" + INFRA + ":8880/api/v1/rules").path("data").path("groups");
            Set<String> loaded = new TreeSet<>();
            List<String> errors = new ArrayList<>();
            for (JsonNode g : groups) {
                loaded.add(g.path("name").asText());
                for (JsonNode r : g.path("rules")) {
                    if (!r.path("lastError").asText().isEmpty()) {
                        errors.add(r.path("name").asText() + ": " + r.path("lastError").asText());
                    }
                }
            }
            return !loaded.equals(expected) ? "groups " + loaded + ", expected " + expected : errors.isEmpty() ? "" : "errors " + errors;
        });
        // what vmalert records is queryable once VictoriaMetrics' latency offset has passed
        waitFor("recording rules are written back", 90, () -> VM.query("pg:ins:xact_rate").size() >= 4 ? ""
                : "pg:ins:xact_rate has " + VM.query("pg:ins:xact_rate").size() + " series");
    }

    @Test
    @Order(3)
    void every_dashboard_query_returns_data() throws IOException {
        Map<String, JsonNode> dashboards = Victoria.dashboards(DASHBOARDS);
        assertEquals(11, dashboards.size(), dashboards.keySet().toString());
        // rates need a few scrapes, and recording rules an evaluation of them
        List<String> missing = new ArrayList<>();
        long end = System.nanoTime() + 120_000_000_000L;
        do {
            missing.clear();
            for (var d : dashboards.entrySet()) {
                for (Victoria.Panel p : Victoria.panels(d.getKey(), d.getValue())) {
                    if (!p.faultOnly()) {
                        String problem = VM.check(d.getValue(), p, PREFERRED);
                        if (!problem.isEmpty()) {
                            missing.add(problem);
                        }
                    }
                }
            }
            if (!missing.isEmpty()) {
                sleep(10_000);
            }
        } while (!missing.isEmpty() && System.nanoTime() < end);
        assertTrue(missing.isEmpty(), missing.size() + " panel queries without data:\n" + String.join("\n", missing));
    }

    @Test
    @Order(4)
    void the_portal_lists_the_clusters_in_a_browser_and_the_nodes_resolve_their_names(SandboxExtension.Lab lab) throws Exception {
        Files.createDirectories(OUT);
        Path profile = Files.createTempDirectory("pig-chromium-");
        Path png = OUT.resolve("portal.png").toAbsolutePath();
        List<String> common = List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-proxy-server",
                "--user-data-dir=" + profile, "--window-size=1280,1400", "--virtual-time-budget=10000");
        try {
            List<String> dump = new ArrayList<>(common);
            dump.addAll(List.of("--dump-dom", "http://" + INFRA + "/"));
            Tools.Result dom = Tools.run(dump, 120);
            assertEquals(0, dom.exit(), dom.err());
            for (String s : List.of("pg-meta", "pg-test", "pg-test-3", "10.10.10.3", "etcd-1", "up, leader", "up, replica")) {
                assertTrue(dom.out().contains(s), "the page as chromium renders it lacks '" + s + "':\n" + dom.out());
            }
            List<String> shot = new ArrayList<>(common);
            shot.addAll(List.of("--screenshot=" + png, "http://" + INFRA + "/"));
            Tools.Result r = Tools.run(shot, 120);
            assertEquals(0, r.exit(), r.err());
            assertTrue(Files.size(png) > 10_000, "a screenshot of the portal in " + png);
            System.out.println("infra: the portal's screenshot is " + png);
        } finally {
            Tools.run(List.of("rm", "-rf", profile.toString()), 30);
        }
        for (String node : List.of("10.10.10.11", "10.10.10.13")) {
            assertEquals("10.10.10.10", lab.sh(node, "getent hosts i.pigsty | cut -d' ' -f1"), node);
            assertEquals("10.10.10.12", lab.sh(node, "getent hosts pg-test-2 | cut -d' ' -f1"), node);
            assertEquals("10.10.10.3", lab.sh(node, "getent hosts pg-test | cut -d' ' -f1"), node + ": a cluster's name is its VIP");
            assertEquals("10.10.10.2", lab.sh(node, "getent hosts pg-meta | cut -d' ' -f1"), node);
        }
    }

    @Test
    @Order(5)
    void a_second_deploy_plans_nothing_and_restarts_nothing(SandboxExtension.Lab lab) {
        Map<String, String> before = mainPids(lab);
        Pig plan = Pig.run("plan", "-i", INV, "--detailed-exitcode");
        assertEquals(0, plan.exit(), plan.out() + plan.err());
        Pig deploy = Pig.run("deploy", "-i", INV, "-y");
        assertEquals(0, deploy.exit(), deploy.out() + deploy.err());
        assertTrue(deploy.out().contains("No changes."), deploy.out());
        assertEquals(before, mainPids(lab));
    }

    @Test
    @Order(6)
    void a_changed_route_reloads_alertmanager_without_a_restart(SandboxExtension.Lab lab) throws IOException {
        String pid = lab.sh(INFRA, "systemctl show -p MainPID prometheus-alertmanager");
        String hash = VM.get("http://" + INFRA + ":9059/api/v2/status").path("config").path("original").asText();
        Path inv = Files.createTempFile("infra-routes", ".yml");
        Files.writeString(inv, Files.readString(Path.of(INV)).replace("        vmetrics_scrape_interval: 10s\n",
                "        vmetrics_scrape_interval: 10s\n"
                        + "        alertmanager_receivers: [ { name: oncall, webhook_configs: [ { url: 'http://10.10.10.1:5001/' } ] } ]\n"
                        + "        alertmanager_routes: [ { matchers: [ 'severity=\"CRIT\"' ], receiver: oncall } ]\n"));
        Pig r = Pig.run("deploy", "-i", inv.toString(), "-t", "alertmanager", "-y");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("reload"), r.out());
        // Alertmanager reloads on SIGHUP, after systemctl has returned: its status shows the new route within seconds
        waitFor("the new route in Alertmanager's status", 20, () -> {
            String now = VM.get("http://" + INFRA + ":9059/api/v2/status").path("config").path("original").asText();
            return now.contains("oncall") && !now.equals(hash) ? "" : now;
        });
        assertEquals(pid, lab.sh(INFRA, "systemctl show -p MainPID prometheus-alertmanager"), "reloaded, not restarted");
        Pig back = Pig.run("deploy", "-i", INV, "-t", "alertmanager", "-y");
        assertEquals(0, back.exit(), back.out() + back.err());
        Files.delete(inv);
    }

    @Test
    @Order(7)
    void a_replica_whose_postgres_stops_fires_the_instance_down_alert_within_two_minutes(SandboxExtension.Lab lab) throws IOException {
        String alerts = "http://" + INFRA + ":9059/api/v2/alerts?filter=" + Victoria.enc("alertname=\"PgsqlDown\"") + "&filter="
                + Victoria.enc("ins=\"pg-test-2\"");
        assertEquals(0, VM.get(alerts).size(), "no alert before the fault");
        long t0 = System.nanoTime();
        lab.sh("10.10.10.12", "systemctl stop patroni");
        try {
            waitFor("PgsqlDown of pg-test-2 in Alertmanager", 120, () -> VM.get(alerts).size() == 1 ? "" : "not yet: " + VM.get(alerts));
            System.out.printf("infra: PgsqlDown of pg-test-2 reached Alertmanager %.1f s after PostgreSQL stopped%n",
                    (System.nanoTime() - t0) / 1e9);
            JsonNode a = VM.get(alerts).get(0);
            assertEquals("CRIT", a.path("labels").path("severity").asText(), a.toString());
            assertEquals("pg-test", a.path("labels").path("cls").asText(), a.toString());
            // the panels that only have data under a fault have it now (vmalert's ALERTS series are
            // queryable once VictoriaMetrics' latency offset has passed)
            Map<String, JsonNode> dashboards = Victoria.dashboards(DASHBOARDS);
            waitFor("the fault panels have data", 90, () -> {
                List<String> missing = new ArrayList<>();
                for (var d : dashboards.entrySet()) {
                    for (Victoria.Panel p : Victoria.panels(d.getKey(), d.getValue())) {
                        if (p.faultOnly()) {
                            String problem = VM.check(d.getValue(), p, Map.of());
                            if (!problem.isEmpty()) {
                                missing.add(problem);
                            }
                        }
                    }
                }
                return String.join("\n", missing);
            });
            // pig status shows the stopped replica, and the alert
            Pig status = Pig.run("status", "-i", INV, "pg-test");
            assertEquals(0, status.exit(), status.out() + status.err());
            assertTrue(status.out().matches("(?s).*\\n  pg-test-2 +10\\.10\\.10\\.12 +replica\\?? +stopped .*"), status.out());
            assertTrue(status.out().contains("  CRIT PgsqlDown pg-test-2: "), status.out());
            Files.writeString(OUT.resolve("status-fault.txt"), status.out());
            JsonNode json = Victoria.JSON.readTree(Pig.run("status", "-i", INV, "pg-test", "--json").out()).path("clusters").get(0);
            assertTrue(!json.path("healthy").asBoolean() && json.path("leader").asText().equals("pg-test-1"), json.toString());
        } finally {
            lab.sh("10.10.10.12", "systemctl start patroni");
        }
        long t1 = System.nanoTime();
        waitFor("PgsqlDown of pg-test-2 resolved", 180, () -> VM.get(alerts).isEmpty() ? "" : "still: " + VM.get(alerts));
        System.out.printf("infra: PgsqlDown of pg-test-2 resolved %.1f s after Patroni started again%n", (System.nanoTime() - t1) / 1e9);
        lab.awaitConverged();
        waitFor("pig status says pg-test is healthy", 120, () -> {
            Pig healthy = Pig.run("status", "-i", INV, "pg-test", "--json");
            try {
                return Victoria.JSON.readTree(healthy.out()).path("clusters").get(0).path("healthy").asBoolean() ? "" : healthy.out();
            } catch (IOException e) {
                return e.toString();
            }
        });
    }

    @Test
    @Order(8)
    void removing_an_instance_removes_what_was_registered_for_it_and_adding_it_back_registers_it(SandboxExtension.Lab lab) {
        Pig rm = Pig.run("pgsql", "rm", "-i", INV, "pg-test", "10.10.10.13", "-y");
        assertEquals(0, rm.exit(), rm.out() + rm.err());
        Set<String> files = registered(lab);
        for (String gone : List.of("pgsql/pg-test-3", "pgbouncer/pg-test-3", "patroni/pg-test-3", "pgbackrest/pg-test-3", "tcp/pg-test-3")) {
            assertTrue(!files.contains(gone), gone + " is still registered: " + files);
        }
        for (String kept : List.of("ping/pg-test-vip", "tcp/pg-test-vip", "pgsql/pg-test-1", "node/10.10.10.13")) {
            assertTrue(files.contains(kept), kept + " went with pg-test-3: " + files);
        }
        assertTrue(lab.run(INFRA, "test", "-e", "/etc/hosts.d/pg-test-3").exit() != 0, "pg-test-3's name is still registered");
        assertTrue(lab.run(INFRA, "test", "-e", "/etc/hosts.d/pg-test").exit() == 0, "pg-test's name went with one member");
        waitFor("VictoriaMetrics drops pg-test-3's targets", 60, () -> VM.targets().stream()
                .anyMatch(t -> t.path("labels").path("ins").asText().equals("pg-test-3") && !t.path("labels").path("job").asText().equals("node")
                        && !t.path("labels").path("job").asText().equals("haproxy") && !t.path("labels").path("job").asText().equals("ping"))
                ? "still scraped" : "");

        // the infra node is not in the limit of 'pig pgsql add': it registers the instance anyway
        Pig add = Pig.run("pgsql", "add", "-i", INV, "pg-test", "10.10.10.13", "-y");
        assertEquals(0, add.exit(), add.out() + add.err());
        assertTrue(registered(lab).contains("pgsql/pg-test-3"), registered(lab).toString());
        lab.awaitConverged();
        waitFor("pg-test-3 is scraped again", 120, () -> VM.query("pg_up{ins=\"pg-test-3\"} == 1").isEmpty() ? "not yet" : "");
        assertEquals(0, Pig.run("plan", "-i", INV, "--detailed-exitcode").exit(), "the sandbox is converged again");
    }
}
