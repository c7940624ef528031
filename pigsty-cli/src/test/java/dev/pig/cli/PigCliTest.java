package dev.pig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.pig.core.param.ParamCatalog;

class PigCliTest {

    @Test
    void prints_its_version() {
        PigRunner.Result r = PigRunner.run("--version");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().startsWith("pig "), r.toString());
    }

    @Test
    void help_lists_the_commands() {
        PigRunner.Result r = PigRunner.run("--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("inventory"));
        assertTrue(r.out().contains("params"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"inventory", "inventory show", "inventory passwords", "params", "facts", "plan", "apply", "deploy", "node", "node rm",
            "etcd", "etcd add", "pgsql", "pgsql user", "sandbox", "sandbox up"})
    void every_command_answers_help(String command) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(command.split(" ")));
        args.add("--help");
        PigRunner.Result r = PigRunner.run(args.toArray(new String[0]));
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().startsWith("Usage: pig " + command), r.out());
    }

    @Test
    void a_run_reads_the_verb_it_names_alone_and_help_or_a_wrong_word_reads_them_all() {
        assertEquals(java.util.List.of(PlanCommand.class), PigCommand.verbsFor(new String[] {"plan", "-i", "pigsty.yml", "-l", "pg-test"}));
        assertEquals(java.util.List.of(PgsqlCommand.class), PigCommand.verbsFor(new String[] {"--debug", "pgsql", "add", "pg-test"}));
        assertEquals(PigCommand.VERBS, PigCommand.verbsFor(new String[] {}));
        assertEquals(PigCommand.VERBS, PigCommand.verbsFor(new String[] {"--version"}));
        assertEquals(PigCommand.VERBS, PigCommand.verbsFor(new String[] {"help", "plan"}));
        assertEquals(PigCommand.VERBS, PigCommand.verbsFor(new String[] {"completion", "bash"}));
        assertEquals(PigCommand.VERBS, PigCommand.verbsFor(new String[] {"__complete", "clusters"}));
        assertEquals(PigCommand.VERBS, PigCommand.verbsFor(new String[] {"plna"}));

        PigRunner.Result help = PigRunner.run("--help");
        int at = -1;
        for (Class<?> verb : PigCommand.VERBS) {
            picocli.CommandLine.Command c = verb.getAnnotation(picocli.CommandLine.Command.class);
            if (c.hidden()) {
                continue;
            }
            int next = help.out().indexOf("\n  " + c.name() + " ");
            assertTrue(next > at, c.name() + " is listed, after the verb before it:\n" + help.out());
            at = next;
        }
        PigRunner.Result typo = PigRunner.run("plna");
        assertEquals(ExitCodes.USAGE, typo.code());
        assertTrue(typo.err().contains("Did you mean: pig plan"), typo.toString());
        PigRunner.Result inherited = PigRunner.run("--debug", "params", "pg_port");
        assertEquals(0, inherited.code(), inherited.toString());
        assertEquals(0, PigRunner.run("params", "pg_port", "--debug").code());
    }

    @Test
    void logging_is_configured_in_code_to_stderr() {
        ch.qos.logback.classic.LoggerContext ctx = (ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
        ch.qos.logback.core.Appender<ch.qos.logback.classic.spi.ILoggingEvent> a = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
                .getAppender("STDERR");
        assertTrue(a instanceof ch.qos.logback.core.ConsoleAppender<?> c && "System.err".equals(c.getTarget()), String.valueOf(a));
        assertEquals(LogSetup.PATTERN, ((ch.qos.logback.classic.encoder.PatternLayoutEncoder)
                ((ch.qos.logback.core.ConsoleAppender<?>) a).getEncoder()).getPattern());
    }

    @Test
    void an_unknown_option_is_a_usage_error_with_exit_64() {
        PigRunner.Result r = PigRunner.run("inventory", "validate", "--no-such-flag");
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().startsWith("Error: "), r.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sandbox.yml", "sandbox-trixie.yml", "meta.yml", "trio.yml"})
    void every_example_inventory_validates(String example) {
        PigRunner.Result r = PigRunner.run("inventory", "validate", "-i", PigRunner.path("inventory-examples/" + example));
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("is valid"), r.toString());
        assertFalse(r.err().contains("Error:"), r.toString());
    }

    @Test
    void an_invalid_inventory_exits_65_with_every_error_and_no_stack_trace() {
        PigRunner.Result r = PigRunner.run("inventory", "validate", "-i", PigRunner.path("src-test-fixtures/inventory/invalid/identity.yml"));
        assertEquals(ExitCodes.INVALID_INVENTORY, r.code(), r.toString());
        assertTrue(r.err().contains("Error: cluster name 'pg_test' is invalid"), r.err());
        assertTrue(r.err().contains("has 2 primaries"), r.err());
        assertTrue(r.err().contains("nothing was changed on any host"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        assertEquals("", r.out());
    }

    @Test
    void terminal_escapes_in_a_broken_inventory_are_printed_escaped(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        // a raw ESC is not YAML, so the excerpt of the syntax error holds it as written
        Path f = dir.resolve("esc.yml");
        Files.writeString(f, "all:\n  vars: { x: \u001b]0;title\u0007 }\n");
        PigRunner.Result r = PigRunner.run("inventory", "validate", "-i", f.toString());
        assertEquals(ExitCodes.INVALID_INVENTORY, r.code(), r.toString());
        assertTrue(r.err().contains("\\x1b]0;title\\x07"), r.err());
        assertFalse(r.err().chars().anyMatch(c -> c == 0x1b || c == 0x07), r.err());
    }

    @Test
    void yaml_nested_ten_thousand_levels_deep_exits_65_without_a_trace(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path f = dir.resolve("deep.yml");
        Files.writeString(f, "all:\n  vars:\n    x: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n");
        PigRunner.Result r = PigRunner.run("inventory", "validate", "-i", f.toString());
        assertEquals(ExitCodes.INVALID_INVENTORY, r.code(), r.toString());
        assertTrue(r.err().startsWith("Error: values nest more than 64 levels deep\n  on " + f + " line 3"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void a_file_too_large_to_be_an_inventory_exits_65_without_being_read(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path f = dir.resolve("huge.yml");
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(dev.pig.core.inventory.YamlTree.MAX_CHARS + 1L); // sparse: nothing is written
        }
        PigRunner.Result r = PigRunner.run("inventory", "validate", "-i", f.toString());
        assertEquals(ExitCodes.INVALID_INVENTORY, r.code(), r.toString());
        assertTrue(r.err().startsWith("Error: inventory file " + f + " is " + (dev.pig.core.inventory.YamlTree.MAX_CHARS + 1L)
                + " bytes, more than pig reads"), r.err());
    }

    @Test
    void an_unknown_parameter_gets_a_did_you_mean_with_its_line() {
        PigRunner.Result r = PigRunner.run("inventory", "validate", "-i", PigRunner.path("src-test-fixtures/inventory/invalid/unknown-param.yml"));
        assertEquals(65, r.code());
        assertTrue(r.err().contains("Error: unknown parameter 'pg_usres'"), r.err());
        assertTrue(r.err().contains("line 13, column 9"), r.err());
        assertTrue(r.err().contains("Did you mean 'pg_users'?"), r.err());
    }

    @Test
    void a_missing_inventory_file_is_a_usage_error() {
        PigRunner.Result r = PigRunner.run("inventory", "validate", "-i", "/nonexistent/pigsty.yml");
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("inventory file not found"), r.err());
    }

    @Test
    void show_prints_each_value_with_its_origin() {
        PigRunner.Result r = PigRunner.run("inventory", "show", "-i", PigRunner.path("inventory-examples/sandbox.yml"), "pg-test");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("pg-test-1 10.10.10.11:5432 primary"), r.out());
        assertTrue(r.out().contains("pg-test-3 10.10.10.13:5432 replica offline_query"), r.out());
        assertTrue(r.out().matches("(?s).*pg_cluster\\s+pg-test\\s+\\[group pg-test .*sandbox.yml:\\d+].*"), r.out());
        assertTrue(r.out().contains("test password=***"), r.out());
        assertFalse(r.out().contains("password=test"), r.out());
    }

    @Test
    void show_json_is_machine_readable_and_honours_extra_vars() throws Exception {
        PigRunner.Result r = PigRunner.run("inventory", "show", "-i", PigRunner.path("inventory-examples/sandbox.yml"),
                "10.10.10.12", "--json", "-e", "pg_port=6543");
        assertEquals(0, r.code(), r.toString());
        JsonNode j = new ObjectMapper().readTree(r.out());
        JsonNode port = j.path("hosts").path("10.10.10.12").path("vars").path("pg_port");
        assertEquals(6543, port.path("value").asInt());
        assertEquals("-e", port.path("origin").asText());
        assertEquals("pg-test-2", j.path("hosts").path("10.10.10.12").path("nodename").asText());
    }

    @Test
    void extra_vars_from_a_file_are_read_by_pig_not_expanded_by_the_option_parser(@org.junit.jupiter.api.io.TempDir Path tmp)
            throws Exception {
        Path vars = Files.writeString(tmp.resolve("vars.yml"), "pg_port: 6543\n");
        PigRunner.Result r = PigRunner.run("inventory", "show", "-i", PigRunner.path("inventory-examples/sandbox.yml"),
                "10.10.10.12", "--json", "-e", "@" + vars);
        assertEquals(0, r.code(), r.toString());
        JsonNode port = new ObjectMapper().readTree(r.out()).path("hosts").path("10.10.10.12").path("vars").path("pg_port");
        assertEquals(6543, port.path("value").asInt());
        assertEquals("-e", port.path("origin").asText());
        assertTrue(port.path("source").asText().startsWith(vars + ":1"), port.toString());
    }

    @Test
    void a_missing_extra_vars_file_says_how_to_give_one() {
        PigRunner.Result r = PigRunner.run("inventory", "validate", "-i", PigRunner.path("inventory-examples/meta.yml"),
                "-e", "@/nonexistent/vars.yml");
        assertEquals(ExitCodes.USAGE, r.code(), r.toString());
        assertEquals("Error: extra vars file not found: /nonexistent/vars.yml\n"
                + "  Give an existing YAML file of parameters with -e @FILE.\n", r.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-3"})
    void forks_below_one_are_a_usage_error(String forks) {
        PigRunner.Result r = PigRunner.run("plan", "-i", PigRunner.path("inventory-examples/meta.yml"), "--forks", forks);
        assertEquals(ExitCodes.USAGE, r.code(), r.toString());
        assertTrue(r.err().startsWith("Error: --forks must be at least 1, got " + forks), r.err());
    }

    @Test
    void the_ssh_library_stays_silent_and_even_debug_shows_only_its_warnings() {
        org.slf4j.Logger ssh = org.slf4j.LoggerFactory.getLogger("net.schmizz.sshj.transport.TransportImpl");
        try {
            PigRunner.run("--debug", "params", "pg_port");
            assertTrue(ssh.isWarnEnabled(), "sshj warnings show with --debug");
            assertFalse(ssh.isDebugEnabled() || ssh.isInfoEnabled(), "sshj debug lines print commands unmasked");
            PigRunner.run("params", "pg_port");
            assertFalse(ssh.isErrorEnabled(), "without --debug an unreachable host is one line, not a library trace");
        } finally {
            PigRunner.run("params", "pg_port");
        }
    }

    @Test
    void show_of_an_unknown_target_names_the_clusters() {
        PigRunner.Result r = PigRunner.run("inventory", "show", "-i", PigRunner.path("inventory-examples/sandbox.yml"), "pg-nope");
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("pg-meta, pg-test"), r.err());
    }

    @Test
    void params_shows_one_parameter_with_its_default() {
        PigRunner.Result r = PigRunner.run("params", "pg_port");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("module:  PGSQL"), r.out());
        assertTrue(r.out().contains("default: 5432"), r.out());
    }

    @Test
    void params_lists_a_module() {
        PigRunner.Result r = PigRunner.run("params", "etcd");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("etcd_port"));
        assertFalse(r.out().contains("pg_port"));
    }

    @Test
    void params_suggests_a_close_name() {
        PigRunner.Result r = PigRunner.run("params", "pg_prot");
        assertEquals(ExitCodes.USAGE, r.code());
        assertTrue(r.err().contains("Did you mean 'pg_port'?"), r.err());
    }

    @Test
    void the_committed_parameter_reference_matches_the_catalog() throws Exception {
        PigRunner.Result r = PigRunner.run("params", "--markdown");
        assertEquals(0, r.code());
        Path doc = PigRunner.root().resolve("docs/parameters.md");
        assertEquals(Files.readString(doc), r.out(),
                "docs/parameters.md is out of date: run ./pig params --markdown > docs/parameters.md");
        assertEquals(ParamCatalog.builtIn().all().size(), r.out().lines().filter(l -> l.startsWith("| `")).count());
    }
}
