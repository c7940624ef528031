package dev.pig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.pig.core.diag.Diagnostic;
import dev.pig.core.model.ModelLoader;

class ConfigureCommandTest {
    private static final String DEBIAN_12 = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n";
    private static final String DEBIAN_13 = "PRETTY_NAME=\"Debian GNU/Linux 13 (trixie)\"\nID=debian\nVERSION_ID=\"13\"\nVERSION_CODENAME=trixie\n";

    static List<String> templates() {
        return ConfigureCommand.TEMPLATES;
    }

    private static PigRunner.Result configure(Path dir, String osRelease, String... args) throws Exception {
        Path os = dir.resolve("os-release");
        Files.writeString(os, osRelease);
        List<String> all = new java.util.ArrayList<>(List.of("configure", "-o", dir.resolve("pigsty.yml").toString(),
                "--os-release", os.toString()));
        all.addAll(List.of(args));
        return PigRunner.run(all.toArray(String[]::new));
    }

    @ParameterizedTest
    @MethodSource("templates")
    void every_template_writes_an_inventory_that_validates_without_errors(String template, @TempDir Path dir) throws Exception {
        PigRunner.Result r = configure(dir, DEBIAN_12, "-c", template, "-i", "192.168.50.7", "-g");
        assertEquals(0, r.code(), r.toString());
        ModelLoader.Loaded loaded = ModelLoader.load(dir.resolve("pigsty.yml"), List.of());
        assertTrue(loaded.model().node("192.168.50.7").isPresent(), template);
        List<String> warnings = loaded.diagnostics().warnings().stream().map(Diagnostic::summary).toList();
        assertTrue(warnings.stream().noneMatch(w -> w.contains("placeholder") || w.contains("extension")), warnings.toString());
    }

    @Test
    void puts_in_the_address_and_the_postgres_version_debian_12_ships(@TempDir Path dir) throws Exception {
        PigRunner.Result r = configure(dir, DEBIAN_12, "-i", "10.0.0.5");
        assertEquals(0, r.code(), r.toString());
        String text = Files.readString(dir.resolve("pigsty.yml"));
        assertFalse(text.contains("10.10.10.10"), text);
        assertTrue(text.contains("10.0.0.5: { pg_seq: 1, pg_role: primary }"), text);
        assertTrue(text.contains("pg_version: 15\n"), text);
        assertTrue(r.out().contains("PostgreSQL 15 (Debian 12 ships it)"), r.toString());
        assertTrue(text.contains("password: DBUser.Meta"), "sample passwords stay without -g");
    }

    @Test
    void debian_13_gets_postgres_17_and_v_overrides_it(@TempDir Path dir) throws Exception {
        assertEquals(0, configure(dir, DEBIAN_13, "-i", "10.0.0.5").code());
        assertTrue(Files.readString(dir.resolve("pigsty.yml")).contains("pg_version: 17\n"));
        assertEquals(0, configure(dir, DEBIAN_13, "-i", "10.0.0.5", "-v", "16", "--force").code());
        assertTrue(Files.readString(dir.resolve("pigsty.yml")).contains("pg_version: 16\n"));
    }

    @Test
    void another_os_keeps_the_templates_version_and_says_so(@TempDir Path dir) throws Exception {
        PigRunner.Result r = configure(dir, "ID=ubuntu\nVERSION_ID=\"24.04\"\n", "-i", "10.0.0.5");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("not Debian 12 or 13, choose with -v"), r.toString());
    }

    @Test
    void g_replaces_each_sample_password_with_one_new_strong_password(@TempDir Path dir) throws Exception {
        assertEquals(0, configure(dir, DEBIAN_12, "-c", "rich", "-i", "10.0.0.5", "-g").code());
        String text = Files.readString(dir.resolve("pigsty.yml"));
        for (String sample : List.of("DBUser.Meta", "DBUser.Viewer", "DBUser.DBA", "DBUser.Monitor", "DBUser.Replicator",
                "Patroni.API", "haproxy_admin_password: pigsty")) {
            assertFalse(text.contains(sample), sample + " left in\n" + text);
        }
        Matcher m = Pattern.compile("password: (\\S+?)[,\\n]").matcher(text);
        List<String> passwords = new java.util.ArrayList<>();
        while (m.find()) {
            passwords.add(m.group(1));
        }
        assertTrue(passwords.size() >= 9, passwords.toString());
        assertEquals(passwords.size(), passwords.stream().distinct().count(), "each sample gets its own");
        assertTrue(passwords.stream().allMatch(p -> p.matches("[A-Za-z0-9]{24}")), passwords.toString());
        assertEquals(Optional.of("rw-------"), Optional.of(PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("pigsty.yml")))), "it holds passwords");
    }

    @Test
    void a_sample_written_twice_gets_the_same_new_password_in_both_places() {
        String out = ConfigureCommand.render("a: { password: Same.One }\nb_password: Same.One\nc_password: Other\n",
                "10.0.0.5", 15, new SecureRandom());
        String[] lines = out.split("\n");
        String first = lines[0].replaceAll(".*password: (\\S+) }", "$1");
        assertEquals("b_password: " + first, lines[1]);
        assertNotEquals("c_password: " + first, lines[2]);
    }

    @Test
    void refuses_to_overwrite_without_force(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("pigsty.yml"), "mine\n");
        PigRunner.Result r = configure(dir, DEBIAN_12, "-i", "10.0.0.5");
        assertEquals(ExitCodes.USAGE, r.code(), r.toString());
        assertTrue(r.err().contains("exists") && r.err().contains("--force"), r.toString());
        assertEquals("mine\n", Files.readString(dir.resolve("pigsty.yml")));
        assertEquals(0, configure(dir, DEBIAN_12, "-i", "10.0.0.5", "--force").code());
        assertNotEquals("mine\n", Files.readString(dir.resolve("pigsty.yml")));
    }

    @Test
    void an_unknown_template_or_address_is_a_usage_error(@TempDir Path dir) throws Exception {
        PigRunner.Result r = configure(dir, DEBIAN_12, "-c", "huge", "-i", "10.0.0.5");
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("meta, rich, trio, full, safe"), r.toString());
        assertEquals(ExitCodes.USAGE, configure(dir, DEBIAN_12, "-i", "10.0.0.500").code());
        assertFalse(Files.exists(dir.resolve("pigsty.yml")));
    }

    @Test
    void the_primary_address_is_the_one_of_the_default_routes_interface() {
        String route = """
                Iface	Destination	Gateway 	Flags	RefCnt	Use	Metric	Mask		MTU	Window	IRTT
                eth1	000A0A0A	00000000	0001	0	0	0	00FFFFFF	0	0	0
                eth0	00000000	0102A8C0	0003	0	0	0	00000000	0	0	0
                """;
        assertEquals(Optional.of("eth0"), ConfigureCommand.defaultRouteInterface(route));
        assertEquals(Optional.empty(), ConfigureCommand.defaultRouteInterface(route.lines().limit(2).reduce("", (a, b) -> a + b + "\n")));
    }

    @Test
    void reads_the_release_from_os_release() {
        assertEquals(15, ConfigureCommand.parseOsRelease(DEBIAN_12).orElseThrow().pg());
        assertEquals(17, ConfigureCommand.parseOsRelease(DEBIAN_13.replace("VERSION_CODENAME=trixie\n", "")).orElseThrow().pg());
        assertTrue(ConfigureCommand.parseOsRelease("ID=rocky\nVERSION_ID=\"9.4\"\n").isEmpty());
    }
}
