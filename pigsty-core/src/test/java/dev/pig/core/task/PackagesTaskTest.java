package dev.pig.core.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.pig.core.fact.OsInfo;

/**
 * The package list update that fails when apt could not fetch a list: run in a real shell against
 * stand-ins for {@code apt-get} and {@code apt-config} that print what apt prints.
 */
class PackagesTaskTest {
    static final OsInfo DEBIAN = new OsInfo("debian", List.of(), "12", "bookworm", "Debian GNU/Linux 12 (bookworm)", "x86_64", "6.1", true);
    static final String UNREACHABLE = "Failed to fetch http://deb.debian.org/debian/dists/bookworm/InRelease  "
            + "Could not connect to 10.10.10.1:1 (10.10.10.1). - connect (111: Connection refused)";

    @TempDir
    Path bin;

    record Run(int exit, String out, String err) {
    }

    private void tool(String name, String body) throws IOException {
        Path p = bin.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private Run update() throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "PATH=" + bin + ":$PATH; " + PackagesTask.APT_UPDATE + "; pig_apt_update").start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out, err);
    }

    @Test
    void a_list_apt_only_warns_about_fails_the_update_naming_the_repository_and_the_proxy() throws Exception {
        // apt before 2.3 (or without Error-Mode=any) exits 0 after a failed fetch
        tool("apt-get", "echo \"$@\" > " + bin.resolve("args") + "\necho 'Ign:1 http://deb.debian.org/debian bookworm InRelease'\n"
                + "echo 'W: " + UNREACHABLE + "'\necho 'W: Some index files failed to download.'\nexit 0");
        tool("apt-config", "echo 'Acquire::http::Proxy \"http://10.10.10.1:1\";'\necho 'Acquire::https::Proxy \"http://10.10.10.1:1\";'");
        Run r = update();
        assertEquals(1, r.exit(), r.err());
        assertEquals("update -q -o APT::Update::Error-Mode=any -o DPkg::Lock::Timeout=300\n", Files.readString(bin.resolve("args")));
        List<String> err = r.err().strip().lines().toList();
        assertEquals("W: " + UNREACHABLE, err.get(0));
        assertEquals("apt-get update could not fetch the package lists through the proxy http://10.10.10.1:1 (proxy_env): "
                + "check that the proxy and the repositories named above answer from this host", err.get(err.size() - 1));
        assertTrue(r.out().contains("Ign:1"), "apt's own output is kept: " + r.out());
    }

    @Test
    void a_failed_fetch_without_a_proxy_names_the_repository_only() throws Exception {
        tool("apt-get", "echo 'E: Failed to fetch http://mirror.internal/debian/dists/bookworm/InRelease  404  Not Found'\nexit 100");
        tool("apt-config", "echo 'APT::Architecture \"amd64\";'");
        Run r = update();
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("E: Failed to fetch http://mirror.internal/debian/dists/bookworm/InRelease  404  Not Found"), r.err());
        assertTrue(r.err().strip().endsWith("apt-get update could not fetch the package lists: check that the proxy and the repositories "
                + "named above answer from this host"), r.err());
    }

    @Test
    void a_clean_update_passes_quietly() throws Exception {
        tool("apt-get", "echo 'Hit:1 http://deb.debian.org/debian bookworm InRelease'\necho 'Reading package lists...'\nexit 0");
        tool("apt-config", "exit 0");
        Run r = update();
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.err());
    }

    @Test
    void installing_fetches_the_lists_through_the_checked_update() {
        String cmd = PackagesTask.installCommand(DEBIAN, "h", List.of("jq"));
        assertTrue(cmd.contains("|| { pig_apt_update && apt-get install"), cmd);
        assertTrue(!cmd.contains("apt-get update -q &&"), cmd);
        assertEquals("export DEBIAN_FRONTEND=noninteractive; " + PackagesTask.APT_UPDATE + "; pig_apt_update",
                PackagesTask.updateCommand(DEBIAN, "h"));
    }
}
