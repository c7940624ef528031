package dev.pig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guessable passwords: {@code inventory validate} names each with its line, {@code plan} refuses
 * them for hosts outside the sandbox, and {@code inventory passwords --generate} replaces them in
 * place.
 */
class DefaultPasswordsCliTest {
    static final String SANDBOX = PigRunner.path("inventory-examples/sandbox.yml");
    static final String TWO_NODES = PigRunner.path("src-test-fixtures/cli/two-nodes.yml");

    private final FakeHosts hosts = new FakeHosts();

    /** The two-node test inventory moved to public addresses. */
    private static Path publicCopy(Path dir) throws Exception {
        Path f = dir.resolve("public.yml");
        Files.writeString(f, Files.readString(Path.of(TWO_NODES)).replace("10.10.10.", "203.0.113."));
        return f;
    }

    @Test
    void validate_warns_about_every_default_password_and_every_password_equal_to_its_user_with_its_line() {
        PigRunner.Result r = PigRunner.run("inventory", "validate", "-i", SANDBOX);
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        assertTrue(r.err().contains("Warning: pg_users[dbuser_meta].password is Pigsty's default password 'DBUser.Meta'\n"
                + "  on " + SANDBOX + " line 64, column 44:\n"), r.err());
        assertTrue(r.err().contains("Warning: pg_users[test].password is the same as its user's name\n  on " + SANDBOX + " line 100"), r.err());
        for (String p : List.of("pg_admin_password", "pg_monitor_password", "pg_replication_password", "patroni_password",
                "etcd_root_password", "haproxy_admin_password", "grafana_admin_password")) {
            assertTrue(r.err().contains("Warning: " + p + " is not set, so it is Pigsty's default password"), p + "\n" + r.err());
        }
        assertTrue(r.err().contains("password: ***"), "the excerpt hides the password: " + r.err());
        assertTrue(r.out().contains("10 warning(s)"), r.out());
    }

    @Test
    void plan_refuses_guessable_passwords_for_hosts_outside_the_sandbox_listing_each(@TempDir Path dir) throws Exception {
        Path inv = publicCopy(dir);
        PigRunner.Result r = PigRunner.runWith(hosts, "plan", "-i", inv.toString(), "-t", "node_exporter");
        assertEquals(ExitCodes.INVALID_INVENTORY, r.code(), r.toString());
        assertTrue(r.err().contains("guessable password(s) for hosts outside the sandbox; nothing was planned"), r.err());
        assertTrue(r.err().contains("  pg_users[dbuser_app].password is Pigsty's default password 'DBUser.App' (" + inv
                + " line 16), on 203.0.113.21, 203.0.113.22"), r.err());
        assertTrue(r.err().contains("  pg_admin_password is not set, so it is Pigsty's default password 'DBUser.DBA' (the default)"), r.err());
        assertTrue(r.err().contains("  etcd_root_password is not set, so it is Pigsty's default password 'Etcd.Root' (the default), on 203.0.113.21\n"),
                "only the etcd member gets the etcd password: " + r.err());
        assertTrue(hosts.host("203.0.113.21").commands.isEmpty(), "no host is contacted");
        for (String verb : List.of("apply", "deploy")) {
            assertEquals(ExitCodes.INVALID_INVENTORY, PigRunner.runWith(hosts, verb, "-i", inv.toString(), "-y").code(), verb);
        }
    }

    @Test
    void plan_goes_ahead_with_allow_default_passwords_and_inside_the_sandbox(@TempDir Path dir) throws Exception {
        PigRunner.Result allowed = PigRunner.runWith(hosts, "plan", "-i", publicCopy(dir).toString(), "-t", "node_exporter",
                "--allow-default-passwords");
        assertEquals(ExitCodes.OK, allowed.code(), allowed.toString());
        PigRunner.Result sandbox = PigRunner.runWith(hosts, "plan", "-i", TWO_NODES, "-t", "node_exporter");
        assertEquals(ExitCodes.OK, sandbox.code(), sandbox.toString());
        PigRunner.Result limited = PigRunner.runWith(hosts, "plan", "-i", publicCopy(dir).toString(), "-t", "node_exporter",
                "-l", "203.0.113.22");
        assertTrue(limited.err().contains("on 203.0.113.22") && !limited.err().contains("203.0.113.21"),
                "only the hosts planned are named: " + limited.err());
    }

    @Test
    void generate_replaces_them_in_place_keeping_every_other_line_and_prints_them_masked(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("sandbox.yml");
        String before = Files.readString(Path.of(SANDBOX));
        Files.writeString(f, before);
        PigRunner.Result r = PigRunner.run("inventory", "passwords", "--generate", "-i", f.toString());
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        assertTrue(r.out().startsWith("Replaced 10 guessable password(s) in " + f), r.out());
        assertTrue(r.out().contains("  line 100: pg_users[test].password is the same as its user's name; now ***\n"), r.out());

        String after = Files.readString(f);
        List<String> a = before.lines().toList();
        List<String> b = after.lines().toList();
        assertEquals(a.size() + 7, b.size(), "seven parameters left at their default are added to all.vars");
        Pattern generated = Pattern.compile("[A-Za-z0-9]{" + InventoryPasswords.LENGTH + "}");
        int changed = 0;
        for (int i = 0, j = 0; i < a.size(); i++, j++) {
            if (a.get(i).equals("  vars:") && j + 1 < b.size() && b.get(j + 1).startsWith("    grafana_admin_password: ")) {
                for (int k = 1; k <= 7; k++) {
                    assertTrue(generated.matcher(b.get(j + k).substring(b.get(j + k).indexOf(": ") + 2)).matches(), b.get(j + k));
                }
                j += 7;
                continue;
            }
            if (!a.get(i).equals(b.get(j))) {
                changed++;
                assertTrue(a.get(i).contains("password: "), "only password values change: " + a.get(i) + " -> " + b.get(j));
                assertEquals(a.get(i).replaceAll("password: [^,]+", "password: X"), b.get(j).replaceAll("password: [^,]+", "password: X"));
            }
        }
        assertEquals(3, changed, "dbuser_meta, dbuser_view and test");
        Matcher m = generated.matcher(after);
        while (m.find()) {
            assertFalse(r.out().contains(m.group()), "a new password is printed: " + m.group());
        }
        assertTrue(after.contains("# The sandbox's four nodes") || after.startsWith(before.substring(0, before.indexOf("all:"))),
                "the comments are kept");

        PigRunner.Result valid = PigRunner.run("inventory", "validate", "-i", f.toString());
        assertEquals(ExitCodes.OK, valid.code(), valid.toString());
        assertFalse(valid.err().contains("password"), valid.err());
        PigRunner.Result again = PigRunner.run("inventory", "passwords", "--generate", "-i", f.toString());
        assertTrue(again.out().startsWith("No guessable password in"), again.out());
        assertEquals(after, Files.readString(f));
    }

    @Test
    void values_that_agree_before_agree_after(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("shared.yml");
        Files.writeString(f, Files.readString(Path.of(TWO_NODES)).replace(
                "          - { name: dbuser_app, password: DBUser.App, pgbouncer: true, roles: [ dbrole_admin ] }\n",
                "          - { name: dbuser_app, password: DBUser.App, pgbouncer: true, roles: [ dbrole_admin ] }\n"
                        + "          - { name: dbuser_two, password: 'DBUser.App' }  # the same on purpose\n"));
        PigRunner.Result r = PigRunner.run("inventory", "passwords", "--generate", "-i", f.toString());
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        String text = Files.readString(f);
        Matcher one = Pattern.compile("dbuser_app, password: (\\w+),").matcher(text);
        Matcher two = Pattern.compile("dbuser_two, password: '(\\w+)' }  # the same on purpose").matcher(text);
        assertTrue(one.find() && two.find(), text);
        assertEquals(one.group(1), two.group(1));
        assertNotEquals("DBUser.App", one.group(1));
    }
}
