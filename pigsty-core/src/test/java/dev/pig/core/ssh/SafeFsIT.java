package dev.pig.core.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.pig.core.diag.PigException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The writes pig makes as root ({@link SafeFs}) on this machine, as root, with {@code nobody} as
 * the other user: into root's directories as root, into a directory {@code nobody} owns as
 * {@code nobody}, and never through a link {@code nobody} plants, even while it races to plant
 * one. Runs as root only (CI does), since it needs another user.
 */
class SafeFsIT {
    private static final Duration T = Duration.ofSeconds(30);
    private static final String OTHER = "nobody";

    private final LocalTransport root = new LocalTransport(new SshTarget("local", 22, "root", List.of(), false, true));
    private Path base;
    private Path victim;

    @BeforeEach
    void setUp() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root: it makes files of another user");
        base = Files.createTempDirectory(Path.of("/tmp"), "pig-safefs-");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        // what an attacker would like root to hand over: a root-only file outside its reach
        Path vault = Files.createDirectory(base.resolve("vault"));
        Files.setPosixFilePermissions(vault, PosixFilePermissions.fromString("rwx------"));
        victim = Files.writeString(vault.resolve("secret"), "root only\n");
        Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rw-------"));
    }

    @AfterEach
    void tearDown() {
        if (base != null) {
            sh("rm -rf " + Shell.quote(base.toString()));
        }
    }

    private CommandResult sh(String command) {
        return root.run(command, null, T);
    }

    private Path otherUsersDir(String name) {
        Path d = base.resolve(name);
        sh("mkdir " + Shell.quote(d.toString()) + " && chown " + OTHER + ": " + Shell.quote(d.toString()) + " && chmod 0755 " + Shell.quote(d.toString()));
        return d;
    }

    private static PosixFileAttributes attrs(Path p) throws IOException {
        return Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }

    private void assertVictimUntouched() throws IOException {
        PosixFileAttributes a = attrs(victim);
        assertEquals("root", a.owner().getName());
        assertEquals("rw-------", PosixFilePermissions.toString(a.permissions()));
        assertEquals("root only\n", Files.readString(victim));
    }

    @Test
    void writes_into_a_root_directory_as_root_with_mode_and_owner() throws IOException {
        Path f = base.resolve("conf");
        root.upload("a\n".getBytes(StandardCharsets.UTF_8), f.toString(), "0640", "root", OTHER_GROUP(), T);
        PosixFileAttributes a = attrs(f);
        assertEquals("root", a.owner().getName());
        assertEquals("rw-r-----", PosixFilePermissions.toString(a.permissions()));
        assertEquals("a\n", Files.readString(f));
    }

    private static String OTHER_GROUP() {
        return "nogroup";
    }

    @Test
    void writes_into_another_users_directory_as_that_user() throws IOException {
        Path d = otherUsersDir("etc-patroni");
        Path f = d.resolve("patroni.yml");
        root.upload("b\n".getBytes(StandardCharsets.UTF_8), f.toString(), "0600", OTHER, OTHER_GROUP(), T);
        assertEquals(OTHER, attrs(f).owner().getName());
        assertEquals("rw-------", PosixFilePermissions.toString(attrs(f).permissions()));
        assertEquals("b\n", sh("cat " + Shell.quote(f.toString())).out());
    }

    @Test
    void refuses_a_root_file_inside_another_users_directory() {
        Path d = otherUsersDir("bin");
        PigException e = assertThrows(PigException.class,
                () -> root.upload("c\n".getBytes(StandardCharsets.UTF_8), d.resolve("tool").toString(), "0755", "root", "root", T));
        assertTrue(e.getMessage().contains("would belong to root inside " + d), e.getMessage());
        assertFalse(Files.exists(d.resolve("tool"), LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void replaces_a_planted_link_instead_of_writing_through_it() throws IOException {
        Path d = otherUsersDir("conf");
        Path f = d.resolve("pgbouncer.ini");
        sh("setpriv --reuid=" + OTHER + " --regid=" + OTHER_GROUP() + " --clear-groups ln -s " + Shell.quote(victim.toString()) + " "
                + Shell.quote(f.toString()));
        root.upload("d\n".getBytes(StandardCharsets.UTF_8), f.toString(), "0640", OTHER, OTHER_GROUP(), T);
        assertFalse(Files.isSymbolicLink(f));
        assertEquals(OTHER, attrs(f).owner().getName());
        assertVictimUntouched();
    }

    @Test
    void makes_directories_as_the_owner_of_their_parent_and_refuses_links() throws IOException {
        Path d = otherUsersDir("pgdata");
        Path deep = d.resolve("a/b/data");
        root.directory(deep.toString(), "0700", OTHER, OTHER_GROUP(), T);
        assertEquals(OTHER, attrs(deep).owner().getName());
        assertEquals(OTHER, attrs(d.resolve("a")).owner().getName());
        assertEquals("rwx------", PosixFilePermissions.toString(attrs(deep).permissions()));
        Path planted = d.resolve("log");
        sh("setpriv --reuid=" + OTHER + " --regid=" + OTHER_GROUP() + " --clear-groups ln -s " + Shell.quote(victim.getParent().toString())
                + " " + Shell.quote(planted.toString()));
        PigException e = assertThrows(PigException.class, () -> root.directory(planted.toString(), "0750", OTHER, OTHER_GROUP(), T));
        assertTrue(e.getMessage().contains("is a symbolic link"), e.getMessage());
        assertEquals("root", attrs(victim.getParent()).owner().getName());
        root.symlink(d.resolve("current").toString(), deep.toString(), T);
        assertEquals(deep, Files.readSymbolicLink(d.resolve("current")));
        assertEquals(OTHER, attrs(d.resolve("current")).owner().getName());
    }

    /**
     * The other user races every upload: it swaps each temporary file and the target for links to
     * the root-only file, as fast as it can. Not one write may reach that file.
     */
    @Test
    void a_racing_user_cannot_redirect_uploads_into_its_directory() throws Exception {
        Path d = otherUsersDir("race");
        Path f = d.resolve("patroni.yml");
        Process racer = race(d);
        try {
            for (int i = 0; i < 150; i++) {
                try {
                    root.upload(("round " + i + "\n").getBytes(StandardCharsets.UTF_8), f.toString(), "0600", OTHER, OTHER_GROUP(), T);
                } catch (PigException e) {
                    // the racer may make a write fail (it deletes temporary files): never succeed wrongly
                }
                assertVictimUntouched();
            }
        } finally {
            racer.destroyForcibly().waitFor();
        }
        assertVictimUntouched();
    }

    /**
     * The same race against what pig did before: a temporary file made as root in the user's
     * directory, then chmod and chown by path. It shows the racer wins against path writes, so the
     * test above would fail if safe writes regressed to them.
     */
    @Test
    void the_racer_wins_against_root_path_writes() throws Exception {
        Path d = otherUsersDir("race-old");
        Path f = d.resolve("patroni.yml");
        Process racer = race(d);
        boolean won = false;
        try {
            for (int i = 0; i < 3000 && !won; i++) {
                root.run("set -e; umask 077; tmp=$(mktemp " + Shell.quote(d + "/.pig.XXXXXX") + "); cat > \"$tmp\"; chmod 0644 \"$tmp\"; chown "
                        + OTHER + " \"$tmp\"; mv -f \"$tmp\" " + Shell.quote(f.toString()), "x\n".getBytes(StandardCharsets.UTF_8), T);
                won = !attrs(victim).owner().getName().equals("root");
            }
        } finally {
            racer.destroyForcibly().waitFor();
            sh("chown root:root " + Shell.quote(victim.toString()) + " && chmod 0600 " + Shell.quote(victim.toString()));
        }
        assertTrue(won, "the racer never redirected a path write in 3000 tries: the race test above proves nothing");
    }

    private Process race(Path d) throws IOException {
        String loop = "cd " + Shell.quote(d.toString()) + " && while :; do for t in .pig.*; do [ -e \"$t\" ] || continue; "
                + "rm -f \"$t\" && ln -s " + Shell.quote(victim.toString()) + " \"$t\"; done; done";
        return new ProcessBuilder("setpriv", "--reuid=" + OTHER, "--regid=" + OTHER_GROUP(), "--clear-groups", "sh", "-c", loop)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    @Test
    void keeps_an_exact_copy_of_binary_content() throws IOException {
        byte[] content = new byte[70000];
        new java.util.Random(7).nextBytes(content);
        Path f = base.resolve("blob");
        root.upload(content, f.toString(), "0644", "root", "root", T);
        assertArrayEquals(content, Files.readAllBytes(f));
    }
}
