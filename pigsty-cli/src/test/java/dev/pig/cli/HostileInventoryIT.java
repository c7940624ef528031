package dev.pig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.pig.core.fact.FactGatherer;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.HostPlan;
import dev.pig.core.plan.Plan;
import dev.pig.core.plan.PlanJson;
import dev.pig.core.plan.Step;
import dev.pig.core.ssh.SafeFs;

/**
 * Text from an inventory never becomes a command: each payload of
 * {@code src-test-fixtures/hostile/payloads.txt} goes into every slot of
 * {@code src-test-fixtures/hostile/inventory.yml} (names, comments, passwords including a
 * pre-hashed one, role parameters, HBA fields, paths, cron lines, {@code pg_parameters}, service
 * fields, Redis passwords, renamed commands, save rules and sentinel masters). A slot validation
 * refuses must be refused with the file and the line; the slots it lets
 * through are planned together, the plan saved, and every command of the saved plan (its steps,
 * the facts script with its checks, the writes of files, directories and links) run in a jail: as
 * {@code nobody}, in a directory of its own, with stub commands for everything that would change
 * a host (systemctl, psql, etcdctl, curl, apt ...). The payload's command would leave a marker
 * file; none may appear. Runs as root only (CI does): it needs another user.
 */
class HostileInventoryIT {
    private static final Path DIR = Path.of(PigRunner.path("src-test-fixtures/hostile"));
    private static final Pattern SLOT = Pattern.compile("@@([a-z_]+)\\|([^|@]*)(?:\\|([^@]*))?@@");
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What a jailed step may not really run: it would change a host, or wait for one. */
    private static final List<String> STUBS = List.of("systemctl", "psql", "pg_ctl", "pg_dropcluster", "pgbackrest", "patronictl",
            "etcdctl", "curl", "setpriv", "runuser", "su", "sudo", "apt-get", "apt", "dpkg", "dpkg-query", "useradd", "usermod",
            "groupadd", "groupmod", "chown", "chgrp", "ssh-keygen", "openssl", "haproxy", "sysctl", "hostname", "hostnamectl", "modprobe",
            "timedatectl", "crontab", "keepalived", "sleep", "timeout", "python3", "getent", "ip", "journalctl", "systemd-tmpfiles",
            "redis-cli", "nginx", "dnsmasq", "amtool", "vmalert", "victoria-metrics", "prometheus-blackbox-exporter");

    private static Path jail;
    private static Path stubs;

    @BeforeAll
    static void jail() throws IOException, InterruptedException {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root: steps run in a jail as nobody");
        jail = Files.createTempDirectory(Path.of("/tmp"), "pig-hostile-");
        Files.setPosixFilePermissions(jail, PosixFilePermissions.fromString("rwxrwxrwx"));
        stubs = Files.createDirectory(jail.resolve("stubs"));
        for (String s : STUBS) {
            Path f = stubs.resolve(s);
            Files.writeString(f, "#!/bin/sh\ncat >/dev/null 2>&1 </dev/stdin || true\nexit 0\n");
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.setPosixFilePermissions(stubs, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterAll
    static void clean() throws IOException, InterruptedException {
        if (jail != null) {
            new ProcessBuilder("rm", "-rf", jail.toString()).start().waitFor();
        }
    }

    static Stream<String> payloads() throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(DIR.resolve("payloads.txt"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                out.add(JSON.readValue(line, String.class));
            }
        }
        return out.stream();
    }

    /** The slots of the template, by name: default and prefix. */
    static Map<String, String[]> slots(String template) {
        Map<String, String[]> out = new LinkedHashMap<>();
        Matcher m = SLOT.matcher(template);
        while (m.find()) {
            out.put(m.group(1), new String[]{m.group(2), m.group(3) == null ? "" : m.group(3)});
        }
        return out;
    }

    /** The template with the given slots holding the payload (its marker named after the slot), the rest their defaults. */
    static String fill(String template, String payload, List<String> hostile, Path marks) {
        Matcher m = SLOT.matcher(template);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String slot = m.group(1);
            String prefix = m.group(3) == null ? "" : m.group(3);
            String value = hostile.contains(slot) ? prefix + payload.replace("@M@", marks.resolve("M-" + slot).toString()) : m.group(2);
            String json;
            try {
                json = JSON.writeValueAsString(value);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            // the slot stands inside double quotes in the template: a JSON string is a YAML double-quoted scalar
            m.appendReplacement(b, Matcher.quoteReplacement(json.substring(1, json.length() - 1)));
        }
        m.appendTail(b);
        return b.toString();
    }

    @ParameterizedTest
    @MethodSource("payloads")
    void no_payload_runs_its_command(String payload) throws Exception {
        String template = Files.readString(DIR.resolve("inventory.yml"));
        Path work = Files.createTempDirectory(jail, "case-");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path marks = Files.createDirectory(work.resolve("marks"));
        Files.setPosixFilePermissions(marks, PosixFilePermissions.fromString("rwxrwxrwx"));
        List<String> passed = new ArrayList<>();
        int refused = 0;
        for (String slot : slots(template).keySet()) {
            Path inv = work.resolve(slot + ".yml");
            Files.writeString(inv, fill(template, payload, List.of(slot), marks));
            PigRunner.Result r = PigRunner.run("inventory", "validate", "-i", inv.toString());
            if (r.code() == ExitCodes.INVALID_INVENTORY) {
                refused++;
                // refused with the file and a line, and without printing a terminal control character
                assertTrue(r.err().contains("on " + inv + " line ") || r.err().contains(inv + ":"), slot + ": " + r);
                assertFalse(r.err().chars().anyMatch(c -> c == 0x1b || c == 0x07), slot + " printed a control character: " + r);
            } else {
                assertEquals(ExitCodes.OK, r.code(), slot + ": " + r);
                passed.add(slot);
            }
        }
        Path inv = work.resolve("all.yml");
        Files.writeString(inv, fill(template, payload, passed, marks));
        Path planFile = work.resolve("plan.json");
        PigRunner.Result plan = PigRunner.runWith(new FakeHosts(), "plan", "-i", inv.toString(), "-o", planFile.toString());
        assertTrue(plan.code() == ExitCodes.OK || plan.code() == ExitCodes.CHANGES_PENDING, plan.toString());
        assertFalse(plan.out().chars().anyMatch(c -> c == 0x1b || c == 0x07), "the plan prints a control character: " + plan.out());

        int ran = 0;
        Plan saved = PlanJson.load(planFile);
        var model = dev.pig.core.model.ModelLoader.load(inv, List.of()).model();
        var ctx = new dev.pig.modules.ModuleContext(model, dev.pig.core.template.Templates.builtIn());
        FactGatherer gatherer = new FactGatherer(dev.pig.modules.Deployment.of(model, dev.pig.modules.Modules.all(), ctx,
                dev.pig.modules.Selection.all()).factSections());
        for (HostPlan h : saved.hosts()) {
            assertEquals(null, h.error(), h.host() + " could not be planned");
            ran += jailed(work, gatherer.script(h.request()), null);
            for (Change c : h.changes()) {
                if (!(c instanceof Change.Act a)) {
                    continue;
                }
                for (Step s : a.steps()) {
                    if (s instanceof Step.Exec e) {
                        ran += jailed(work, e.command(), e.input());
                    } else if (s instanceof Step.Upload u) {
                        ran += jailed(work, SafeFs.upload(u.path(), u.mode(), u.owner(), u.group()),
                                new String(u.content(), StandardCharsets.UTF_8));
                    } else if (s instanceof Step.Dir d) {
                        ran += jailed(work, SafeFs.directory(d.path(), d.mode(), d.owner(), d.group()), null);
                    } else if (s instanceof Step.Link l) {
                        ran += jailed(work, SafeFs.symlink(l.path(), l.target()), null);
                    } else if (s instanceof Step.Sign sg) {
                        ran += jailed(work, sg.request(), null);
                        ran += jailed(work, SafeFs.upload(sg.path(), sg.mode(), sg.owner(), sg.group()), "");
                    }
                }
            }
        }
        assertTrue(ran > 100, "the plan had " + ran + " commands: too few to mean anything");
        try (Stream<Path> left = Files.list(marks)) {
            assertEquals(List.of(), left.map(p -> p.getFileName().toString()).toList(),
                    "a payload ran its command (" + passed.size() + " slots planned, " + refused + " refused): " + payload);
        }
    }

    /** Runs a command as nobody in the jail, with stubs first on its PATH; its outcome does not matter, only its effects. */
    private static int jailed(Path work, String command, String input) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--",
                "env", "-i", "PATH=" + stubs + ":/usr/sbin:/usr/bin:/sbin:/bin", "HOME=" + work, "LC_ALL=C", "sh", "-c", command)
                .directory(work.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        try (var in = p.getOutputStream()) {
            if (input != null) {
                in.write(input.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException closedEarly) {
            // the command did not read all of its input: fine
        }
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        return 1;
    }
}
