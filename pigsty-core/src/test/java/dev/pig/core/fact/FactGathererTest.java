package dev.pig.core.fact;

import dev.pig.core.Fixtures;
import dev.pig.core.ssh.CommandResult;
import dev.pig.core.ssh.HostException;
import dev.pig.core.ssh.LocalTransport;
import dev.pig.core.ssh.Shell;
import dev.pig.core.ssh.SshTarget;
import dev.pig.core.ssh.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FactGathererTest {

    /** A module section as a module would write it: a snippet and a pure parser. */
    static final FactSection<List<String>> ROLES = new FactSection<>() {
        @Override
        public String name() {
            return "pgsql.roles";
        }

        @Override
        public String script() {
            return "printf 'dbuser_meta\\tlogin\\n'";
        }

        @Override
        public List<String> parse(String output) {
            return output.lines().map(l -> l.split("\t")[0]).toList();
        }
    };

    private static final FactRequest EL9 = FactRequest.builder()
            .packages("patroni", "pgbouncer", "postgresql16-server")
            .units("patroni.service", "pgbouncer.service", "haproxy.service")
            .fileWithContent("/etc/patroni/patroni.yml").files("/pg/data", "/pg", "/etc/pgbouncer/pgbouncer.ini")
            .users("postgres").groups("postgres").sysctls("vm.overcommit_memory", "net.ipv4.tcp_rmem")
            .sections("pgsql.roles").build();

    private final FactGatherer gatherer = new FactGatherer(List.of(ROLES));

    @Test
    void parses_a_whole_answer_including_module_sections() {
        HostFacts f = gatherer.parse("10.10.10.11", EL9, Fixtures.read("facts/el9-handwritten.out"));
        assertEquals("pg-test-1", f.hostname());
        assertTrue(f.pkg("patroni").installed());
        assertTrue(f.unit("patroni.service").active());
        assertEquals("0700", f.file("/pg/data").mode());
        assertEquals(26, f.user("postgres").orElseThrow().uid());
        assertEquals("2", f.sysctl("vm.overcommit_memory").orElseThrow());
        assertEquals(List.of("dbuser_meta", "replicator"), f.extra(ROLES));
    }

    @Test
    void refuses_a_fact_that_was_not_requested() {
        HostFacts f = gatherer.parse("10.10.10.11", EL9, Fixtures.read("facts/el9-handwritten.out"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> f.file("/etc/hosts"));
        assertEquals("file /etc/hosts was not in the fact request for 10.10.10.11", e.getMessage());
    }

    @Test
    void keeps_the_fingerprint_when_only_volatile_sections_change() {
        String out = Fixtures.read("facts/el9-handwritten.out");
        String later = out.replace("86400.12", "90000.00").replace("14000000 kB", "13000000 kB")
                .replace("1200000 522832000", "1300000 522732000");
        assertEquals(gatherer.parse("h", EL9, out).fingerprint(), gatherer.parse("h", EL9, later).fingerprint());
    }

    @Test
    void changes_the_fingerprint_when_a_file_or_unit_changes() {
        String out = Fixtures.read("facts/el9-handwritten.out");
        String fp = gatherer.parse("h", EL9, out).fingerprint();
        assertNotEquals(fp, gatherer.parse("h", EL9, out.replace("f57d0a83", "e57d0a83")).fingerprint());
        assertNotEquals(fp, gatherer.parse("h", EL9, out.replace("=17823411", "=27823411")).fingerprint());
    }

    @Test
    void puts_the_request_into_the_script_header_and_ends_with_the_marker() {
        String script = gatherer.script(EL9);
        assertTrue(script.startsWith("PIG_PACKAGES='patroni\npgbouncer\npostgresql16-server'\n"), script);
        assertTrue(script.contains("PIG_FILES='c /etc/patroni/patroni.yml\n- /etc/pgbouncer/pgbouncer.ini\n- /pg\n- /pg/data\n'"));
        assertTrue(script.contains("pig_section_1() (\nprintf 'dbuser_meta\\tlogin\\n'\n)\n"), script);
        assertTrue(script.contains("pig_modules() {\n  \"$1\" 1 ext:pgsql.roles pig_section_1\n  :\n}\n"), script);
        assertTrue(script.endsWith("printf '%s\\n' '@@pig:end'\n"));
    }

    @Test
    void reports_a_truncated_answer_as_a_host_failure() {
        Transport fake = new FakeTransport(new CommandResult(0, Fixtures.read("facts/truncated.out").getBytes(StandardCharsets.UTF_8), new byte[0]));
        HostException e = assertThrows(HostException.class, () -> gatherer.gather(fake, FactRequest.empty(), Duration.ofSeconds(5)));
        assertTrue(e.getMessage().startsWith("10.10.10.10: gathering facts failed (exit 0)"), e.getMessage());
    }

    @Test
    void gathers_facts_from_this_machine_in_one_command(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("pig.conf");
        Files.writeString(conf, "listen_addresses = '*'\n");
        Files.createSymbolicLink(dir.resolve("current"), conf);
        // contents come in one tar: a name longer than a tar header holds, an empty file, bytes that are no text
        Path deep = Files.createDirectories(dir.resolve("d".repeat(60)).resolve("e".repeat(60))).resolve("f".repeat(40) + ".conf");
        Files.write(deep, new byte[] {0, (byte) 0xff, '\n', 0x7f});
        Path empty = Files.createFile(dir.resolve("empty"));
        LocalTransport local = new LocalTransport(SshTarget.local("local"));
        FactRequest r = FactRequest.builder().fileWithContent(conf.toString()).fileWithContent(deep.toString())
                .fileWithContent(empty.toString())
                .files(dir.toString(), dir.resolve("current").toString(), dir.resolve("nope").toString())
                .packages("no-such-package-pig").units("no-such.service").users("no-such-user-pig", "root").groups("root", "no-such-group-pig")
                .sysctls("kernel.no_such_key", "kernel.ostype").checks("test -d " + dir, "false").sections("pgsql.roles").build();
        HostFacts f = gatherer.gather(local, r, Duration.ofSeconds(30));
        assertEquals(1, local.commandCount());
        assertEquals("listen_addresses = '*'\n", new String(f.file(conf.toString()).content(), StandardCharsets.UTF_8));
        assertArrayEquals(new byte[] {0, (byte) 0xff, '\n', 0x7f}, f.file(deep.toString()).content());
        assertArrayEquals(new byte[0], f.file(empty.toString()).content());
        assertEquals(FileState.Type.DIRECTORY, f.file(dir.toString()).type());
        assertEquals(conf.toString(), f.file(dir.resolve("current").toString()).link());
        assertTrue(!f.file(dir.resolve("nope").toString()).exists());
        assertTrue(!f.pkg("no-such-package-pig").installed());
        assertTrue(f.user("root").isPresent());
        assertTrue(f.user("no-such-user-pig").isEmpty());
        assertTrue(f.group("root").isPresent());
        assertTrue(f.group("no-such-group-pig").isEmpty());
        assertTrue(f.sysctl("kernel.no_such_key").isEmpty());
        assertEquals(Optional.of("Linux"), f.sysctl("kernel.ostype"));
        assertEquals(List.of("dbuser_meta"), f.extra(ROLES));
        assertTrue(f.check("test -d " + dir));
        assertTrue(!f.check("false"));
        assertTrue(f.cpus() > 0 && f.memory().totalKb() > 0 && !f.disks().isEmpty());
        assertEquals(f.fingerprint(), gatherer.gather(local, r, Duration.ofSeconds(30)).fingerprint());
    }

    /** A section like pgbackrest's or curl's JSON: no newline at the end, and a tool that reads stdin. */
    static FactSection<String> raw(String name, String script) {
        return new FactSection<>() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String script() {
                return script;
            }

            @Override
            public String parse(String output) {
                return output;
            }
        };
    }

    @Test
    void marked_files_are_the_regular_files_whose_first_line_holds_the_mark(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.cfg"), "# managed by pig (x)\nbody\n");
        Files.writeString(dir.resolve("b.cfg"), "# someone else's\n# managed by pig (x)\n");
        Files.writeString(dir.resolve("c.cfg"), "");
        Files.createSymbolicLink(dir.resolve("d.cfg"), dir.resolve("a.cfg"));
        Files.createDirectories(dir.resolve("e.cfg"));
        Files.writeString(dir.resolve("f.txt"), "# managed by pig (x)\n");
        FactSection<String> marked = raw("marked", FactSection.markedFiles(Shell.quote(dir.toString()) + "/*.cfg", "managed by pig (x)"));
        FactSection<String> none = raw("none", FactSection.markedFiles(Shell.quote(dir.toString()) + "/*.nothing", "managed by pig (x)"));
        FactGatherer g = new FactGatherer(List.of(marked, none));
        HostFacts f = g.gather(new LocalTransport(SshTarget.local("local")), FactRequest.builder().sections("marked", "none").build(),
                Duration.ofSeconds(30));
        assertEquals(dir.resolve("a.cfg") + "\n", f.extra(marked));
        assertEquals("", f.extra(none));
    }

    @Test
    void a_section_without_a_final_newline_or_that_reads_stdin_leaves_the_next_ones_whole() {
        FactSection<String> json = raw("a.json", "printf '{\"a\": 1}'");
        FactSection<String> reader = raw("b.reader", "cat >/dev/null; echo read");
        FactSection<String> last = raw("c.last", "echo last");
        FactGatherer g = new FactGatherer(List.of(json, reader, last));
        FactRequest r = FactRequest.builder().sections("a.json", "b.reader", "c.last").build();
        HostFacts f = g.gather(new LocalTransport(SshTarget.local("local")), r, Duration.ofSeconds(30));
        assertEquals("{\"a\": 1}\n", f.extra(json));
        assertEquals("read\n", f.extra(reader));
        assertEquals("last\n", f.extra(last));
    }

    /** Answers every command with the same result. */
    record FakeTransport(CommandResult result) implements Transport {
        @Override
        public SshTarget target() {
            return SshTarget.of("10.10.10.10");
        }

        @Override
        public CommandResult run(String command, byte[] stdin, Duration timeout) {
            return result;
        }

        @Override
        public void upload(byte[] content, String path, String mode, String owner, String group, Duration timeout) {
            throw new UnsupportedOperationException(path + Arrays.toString(content));
        }

        @Override
        public int commandCount() {
            return 0;
        }

        @Override
        public void close() {
        }
    }

    @Test
    void timing_each_section_changes_no_fact_and_names_every_section() {
        LocalTransport local = new LocalTransport(new dev.pig.core.ssh.SshTarget("local", 22, System.getProperty("user.name"),
                List.of(), false, true));
        FactRequest r = FactRequest.builder().packages("sh").units("ssh.service").files("/etc/hostname").users("root")
                .groups("root").sysctls("vm.swappiness").checks("true", "false").build();
        FactGatherer g = new FactGatherer();
        HostFacts plain = g.gather(local, r, java.time.Duration.ofSeconds(30));
        HostFacts timed = g.gather(local, r, java.time.Duration.ofSeconds(30), true);
        assertEquals(plain.fingerprint(), timed.fingerprint(), "the timing section stays out of the fingerprint");
        assertEquals(List.of(), plain.timings());
        List<String> sections = timed.timings().stream().map(HostFacts.SectionTiming::section).toList();
        assertTrue(sections.containsAll(List.of("os", "hostname", "packages", "units", "files", "users", "groups", "sysctl", "checks")),
                sections.toString());
        assertTrue(timed.timings().stream().allMatch(t -> t.wallMillis() >= 0 && t.cpuMillis() >= 0), timed.timings().toString());
    }

    /**
     * The checks and the module sections run at once: an earlier section waits (up to 10 s) for a
     * file that a later section and a later check create, which run one after another could never
     * see; and every answer still lands in its own section and order, more than nine of each (a
     * tenth file sorts before the second).
     */
    @Test
    void checks_and_module_sections_run_at_once_and_answer_in_request_order(@TempDir Path dir) {
        String wait = "i=0; while [ ! -e %s ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done; [ -e %s ] && echo saw-%s";
        String b = Shell.quote(dir.resolve("b").toString());
        String c = Shell.quote(dir.resolve("c").toString());
        List<FactSection<String>> sections = new java.util.ArrayList<>();
        sections.add(raw("a.waits", String.format(wait, b, b, "b")));
        for (int i = 1; i <= 10; i++) {
            sections.add(raw("n" + i, "printf 'section " + i + "'"));
        }
        sections.add(raw("z.makes", "touch " + b));
        List<String> checks = new java.util.ArrayList<>();
        checks.add(String.format(wait, c, c, "c"));
        for (int i = 1; i <= 11; i++) {
            checks.add(i % 2 == 0 ? "true " + i : "false " + i);
        }
        checks.add("touch " + c);
        FactGatherer g = new FactGatherer(sections);
        FactRequest r = FactRequest.builder().sections(sections.stream().map(FactSection::name).toArray(String[]::new))
                .checks(checks.toArray(new String[0])).build();
        HostFacts f = g.gather(new LocalTransport(SshTarget.local("local")), r, Duration.ofSeconds(30));
        assertEquals("saw-b\n", f.extra(sections.get(0)), "the first section saw what the last one made meanwhile");
        assertTrue(f.check(checks.get(0)), "the first check saw what the last one made meanwhile");
        for (int i = 1; i <= 10; i++) {
            assertEquals("section " + i + "\n", f.extra(sections.get(i)));
        }
        for (int i = 1; i <= 11; i++) {
            assertEquals(i % 2 == 0, f.check(checks.get(i)), checks.get(i));
        }
    }

    /** Where no private directory can be made for the jobs' answers, the same facts come one after another. */
    @Test
    void without_a_directory_for_the_jobs_the_checks_and_sections_run_in_turn(@TempDir Path dir) {
        FactSection<String> first = raw("a.first", "echo one");
        FactSection<String> json = raw("b.json", "printf '{\"a\": 1}'");
        FactSection<String> reader = raw("c.reader", "cat >/dev/null; echo read");
        FactGatherer g = new FactGatherer(List.of(first, json, reader));
        FactRequest r = FactRequest.builder().sections("a.first", "b.json", "c.reader").checks("true", "false", "test -d /").build();
        LocalTransport local = new LocalTransport(SshTarget.local("local"));
        Transport noTemp = new Transport() {
            @Override
            public SshTarget target() {
                return local.target();
            }

            @Override
            public CommandResult run(String command, byte[] stdin, Duration timeout) {
                // mktemp fails, as on a host whose /tmp is full or read-only
                byte[] head = "mktemp() { return 1; }\n".getBytes(StandardCharsets.UTF_8);
                byte[] all = Arrays.copyOf(head, head.length + stdin.length);
                System.arraycopy(stdin, 0, all, head.length, stdin.length);
                return local.run(command, all, timeout);
            }

            @Override
            public void upload(byte[] content, String path, String mode, String owner, String group, Duration timeout) {
                throw new UnsupportedOperationException(path);
            }

            @Override
            public int commandCount() {
                return local.commandCount();
            }

            @Override
            public void close() {
            }
        };
        for (boolean timing : List.of(false, true)) {
            HostFacts f = g.gather(noTemp, r, Duration.ofSeconds(30), timing);
            assertEquals("one\n", f.extra(first));
            assertEquals("{\"a\": 1}\n", f.extra(json));
            assertEquals("read\n", f.extra(reader));
            assertTrue(f.check("true") && !f.check("false") && f.check("test -d /"));
            assertTrue(f.timings().stream().noneMatch(HostFacts.SectionTiming::background), f.timings().toString());
        }
    }

    @Test
    void timing_names_each_background_job_and_the_total_is_the_scripts_own() throws Exception {
        FactSection<String> slow = raw("slow", "sleep 0.3; echo slow");
        FactGatherer g = new FactGatherer(List.of(slow));
        FactRequest r = FactRequest.builder().sections("slow").checks("sleep 0.3", "true").build();
        long before = leftovers();
        HostFacts f = g.gather(new LocalTransport(SshTarget.local("local")), r, Duration.ofSeconds(30), true);
        Map<String, HostFacts.SectionTiming> by = new java.util.LinkedHashMap<>();
        f.timings().forEach(t -> by.put(t.section(), t));
        assertTrue(by.get("ext:slow").background() && by.get("check sleep 0.3").background() && by.get("check true").background(), by.toString());
        assertTrue(by.get("ext:slow").wallMillis() >= 300 && by.get("check sleep 0.3").wallMillis() >= 300, by.toString());
        assertTrue(!by.get("wait").background() && !by.get("os").background(), by.toString());
        assertEquals("slow\n", f.extra(slow));
        assertEquals(before, leftovers(), "the jobs' directory is removed when the script ends");
    }

    private static long leftovers() throws java.io.IOException {
        try (var s = Files.list(Path.of("/tmp"))) {
            return s.filter(p -> p.getFileName().toString().startsWith("pig-facts.")).count();
        }
    }

    @Test
    void a_package_not_installed_says_whether_the_package_sources_have_it() throws Exception {
        LocalTransport local = new LocalTransport(new dev.pig.core.ssh.SshTarget("local", 22, System.getProperty("user.name"),
                List.of(), false, true));
        FactRequest r = FactRequest.builder().packages("bash", "pig-no-such-package").build();
        HostFacts f = new FactGatherer().gather(local, r, java.time.Duration.ofSeconds(30));
        assertEquals(java.util.Optional.of(true), f.pkg("bash").available());
        boolean lists;
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of("/var/lib/apt/lists"))) {
            lists = files.anyMatch(p -> p.getFileName().toString().contains("_Packages"));
        } catch (java.io.IOException e) {
            lists = false;
        }
        // known to be absent from every source where apt has lists; unknown where it has none
        assertEquals(lists ? java.util.Optional.of(false) : java.util.Optional.empty(), f.pkg("pig-no-such-package").available());
        assertEquals(lists ? "none" : "", f.pkg("pig-no-such-package").candidate());
    }

    @Test
    void where_apt_keeps_no_cache_of_its_lists_apt_cache_is_given_one_of_pigs(@TempDir Path dir) throws Exception {
        boolean lists;
        try (var files = Files.list(Path.of("/var/lib/apt/lists"))) {
            lists = files.anyMatch(p -> p.getFileName().toString().contains("_Packages"));
        } catch (java.io.IOException e) {
            lists = false;
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(lists && "root".equals(System.getProperty("user.name")),
                "needs apt's package lists and root, as on a node");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path args = dir.resolve("args");
        // apt-config shell NAME KEY NAME KEY: the keys' values as the test sets them
        Files.writeString(bin.resolve("apt-config"), "#!/bin/sh\nprintf \"%s='%s'\\n\" \"$2\" \"$FAKE_PC\" \"$4\" \"$FAKE_SPC\"\n");
        Files.writeString(bin.resolve("apt-cache"), "#!/bin/sh\nprintf '%s\\n' \"$*\" > " + Shell.quote(args.toString())
                + "\nprintf 'pig-fake-package:\\n  Installed: (none)\\n  Candidate: 1.0-1\\n'\n");
        bin.resolve("apt-config").toFile().setExecutable(true);
        bin.resolve("apt-cache").toFile().setExecutable(true);
        FactGatherer g = new FactGatherer();
        FactRequest r = FactRequest.builder().packages("pig-fake-package").build();
        String pig = "-o Dir::Cache::srcpkgcache=/var/cache/pig/apt/srcpkgcache.bin -o Dir::Cache::pkgcache=/var/cache/pig/apt/pkgcache.bin";
        for (String[] c : new String[][] {
                {"pkgcache.bin", "srcpkgcache.bin", "policy -- pig-fake-package"},
                {"", "", pig + " policy -- pig-fake-package"},
                {"pkgcache.bin", "", "-o Dir::Cache::srcpkgcache=/var/cache/pig/apt/srcpkgcache.bin policy -- pig-fake-package"}}) {
            ProcessBuilder pb = new ProcessBuilder("sh", "-s").redirectErrorStream(true);
            pb.environment().put("FAKE_PC", c[0]);
            pb.environment().put("FAKE_SPC", c[1]);
            Process proc = pb.start();
            try (var in = proc.getOutputStream()) {
                // the script puts the system's directories first on its PATH: the fakes go before them
                String script = g.script(r).replace("\nPATH=/usr/local/sbin:", "\nPATH=" + bin + ":/usr/local/sbin:");
                assertNotEquals(g.script(r), script);
                in.write(script.getBytes(StandardCharsets.UTF_8));
            }
            String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, proc.waitFor(), out);
            assertEquals(c[2], Files.readString(args).strip(), "apt-config said pkgcache '" + c[0] + "', srcpkgcache '" + c[1] + "'");
            assertEquals("1.0-1", g.parse("local", r, out).pkg("pig-fake-package").candidate());
        }
    }

    @Test
    void the_candidate_of_a_package_not_installed_is_read_and_an_old_recording_without_it_is_unknown() {
        Map<String, PackageState> p = FactParsers.packages("a\tii\t1.0\nb\tun\t\t2.1-1\nc\tabsent\t\tnone\nd\tabsent\t\n");
        assertEquals(java.util.Optional.of(true), p.get("a").available());
        assertEquals("2.1-1", p.get("b").candidate());
        assertEquals(java.util.Optional.of(true), p.get("b").available());
        assertEquals(java.util.Optional.of(false), p.get("c").available());
        assertEquals(java.util.Optional.empty(), p.get("d").available());
    }

    @Test
    void section_times_are_the_differences_between_marks() {
        List<HostFacts.SectionTiming> t = FactParsers.timings("start 1000000000 0m0.010000s 0m0.000000s 0m0.000000s 0m0.000000s\n"
                + "os 1005000000 0m0.010000s 0m0.000000s 0m0.020000s 0m0.010000s\n"
                + "packages 1025000000 0m0.020000s 0m0.000000s 0m1.030000s 0m0.010000s\n");
        assertEquals(2, t.size());
        assertEquals("os", t.get(0).section());
        assertEquals(5.0, t.get(0).wallMillis(), 1e-6);
        assertEquals(30.0, t.get(0).cpuMillis(), 1e-6);
        assertEquals(20.0, t.get(1).wallMillis(), 1e-6);
        assertEquals(1020.0, t.get(1).cpuMillis(), 1e-6);
    }
}
