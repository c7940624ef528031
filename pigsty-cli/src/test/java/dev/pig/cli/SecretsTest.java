package dev.pig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No password of the inventory reaches the terminal: plan, facts and show, as text and JSON,
 * with --debug and -v. Only a plan file saved with -o (mode 0600) holds the commands as they run.
 */
class SecretsTest {
    static final String INV = PigRunner.path("src-test-fixtures/cli/secrets.yml");
    static final List<String> SECRETS = List.of("S3cretXyz", "Us3rSecretA", "EtcdPgS3cret", "Hapr0xySecret", "Adm1nSecret",
            "M0nitorSecret", "Repl1cSecret", "Patr0niSecret", "B3comeSecret");

    private static void assertNoSecret(PigRunner.Result r) {
        for (String s : SECRETS) {
            assertFalse(r.out().contains(s) || r.err().contains(s), s + " printed:\n" + r);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"plan", "plan --json", "plan -v --debug", "facts", "facts --json", "inventory show",
            "inventory show --json", "inventory show 10.10.10.21 --defaults", "inventory show pg-a --json", "inventory validate"})
    void no_output_shows_a_secret(String command) {
        List<String> args = new ArrayList<>(List.of(command.split(" ")));
        args.addAll(List.of("-i", INV));
        PigRunner.Result r = PigRunner.runWith(new FakeHosts(), args.toArray(new String[0]));
        assertTrue(r.code() == ExitCodes.OK || r.code() == ExitCodes.CHANGES_PENDING, r.toString());
        assertNoSecret(r);
    }

    @Test
    void the_masked_text_is_still_there_where_the_secrets_were() {
        PigRunner.Result plan = PigRunner.runWith(new FakeHosts(), "plan", "-i", INV, "--json");
        // root's password in the environment of a check, and on the stdin of a step: masked in both
        assertTrue(plan.out().contains("ETCDCTL_USER=root:***"), plan.out());
        assertTrue(plan.out().contains("\"shownInput\" : \"***\\n\""), plan.out());
        assertFalse(plan.out().contains("--user") || plan.out().contains("--new-user-password"), plan.out());
        PigRunner.Result show = PigRunner.runWith(new FakeHosts(), "inventory", "show", "-i", INV, "10.10.10.21");
        assertTrue(show.out().contains("password: '***'"), show.out());
        assertTrue(show.err().contains("ansible_become_password: ***"), show.err());
    }

    @Test
    void only_the_saved_plan_file_holds_raw_commands_and_it_is_private(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("plan.json");
        PigRunner.Result r = PigRunner.runWith(new FakeHosts(), "plan", "-i", INV, "-t", "etcd", "-o", file.toString());
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        assertNoSecret(r);
        assertTrue(Files.readString(file).contains("\"input\" : \"S3cretXyz\\n\""), "the plan file runs as planned");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }
}
