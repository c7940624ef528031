package dev.pig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompletionCommandTest {

    @Test
    void bash_script_completes_every_command() {
        PigRunner.Result r = PigRunner.run("completion", "bash");
        assertEquals(0, r.code(), r.toString());
        for (String command : new String[] {"configure", "deploy", "pgsql", "ext", "completion", "inventory"}) {
            assertTrue(r.out().contains(command), command);
        }
        assertTrue(r.out().contains("complete -F _pig_dynamic -o default pig"), "the dynamic wrapper is registered last");
    }

    @Test
    void zsh_gets_the_same_script_through_bashcompinit() {
        PigRunner.Result r = PigRunner.run("completion", "zsh");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("bashcompinit"), r.out().substring(0, 400));
    }

    @Test
    void an_unknown_shell_is_a_usage_error() {
        assertEquals(ExitCodes.USAGE, PigRunner.run("completion", "fish").code());
    }

    @Test
    void complete_lists_clusters_hosts_and_targets_from_the_inventory() {
        String inv = PigRunner.path("inventory-examples/sandbox.yml");
        assertEquals("pg-meta\npg-test\n", PigRunner.run("__complete", "clusters", "-i", inv).out());
        assertEquals("10.10.10.10\n10.10.10.11\n10.10.10.12\n10.10.10.13\n", PigRunner.run("__complete", "hosts", "-i", inv).out());
        assertEquals("redis-ms\nredis-meta\nredis-test\n", PigRunner.run("__complete", "redis", "-i", inv).out());
        assertTrue(PigRunner.run("__complete", "targets", "-i", inv).out()
                .startsWith("infra\netcd\nminio\npg-meta\npg-test\ngateway\nredis-ms\nredis-meta\nredis-test\n10.10.10.10\n"));
    }

    @Test
    void complete_prints_nothing_for_a_missing_or_broken_inventory(@TempDir Path dir) throws Exception {
        PigRunner.Result missing = PigRunner.run("__complete", "hosts", "-i", dir.resolve("none.yml").toString());
        assertEquals(0, missing.code());
        assertEquals("", missing.out() + missing.err());
        Files.writeString(dir.resolve("bad.yml"), "all: { children: [");
        PigRunner.Result bad = PigRunner.run("__complete", "hosts", "-i", dir.resolve("bad.yml").toString());
        assertEquals("", bad.out() + bad.err());
    }

    @Test
    void bash_offers_the_inventorys_clusters_after_a_pgsql_verb(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "bash is needed");
        Path script = dir.resolve("pig.bash");
        Files.writeString(script, PigRunner.run("completion", "bash").out());
        // 'pig' itself is stood in for by a function that answers as 'pig __complete' would
        String test = "pig() { [ \"$1 $2 $3 $4\" = \"__complete clusters -i my.yml\" ] && printf 'pg-meta\\npg-test\\n'; }\n"
                + "source " + script + "\n"
                + "COMP_WORDS=(pig pgsql user -i my.yml pg-t); COMP_CWORD=5; _pig_dynamic; echo \"${COMPREPLY[*]}\"\n";
        Process p = new ProcessBuilder("/bin/bash", "-c", test).redirectErrorStream(true).start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals("pg-test", out.strip(), out);
    }
}
