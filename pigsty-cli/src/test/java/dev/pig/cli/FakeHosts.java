package dev.pig.cli;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import dev.pig.core.diag.PigException;
import dev.pig.core.fact.FactParsers;
import dev.pig.core.ssh.CommandResult;
import dev.pig.core.ssh.ConnectOptions;
import dev.pig.core.ssh.Connections;
import dev.pig.core.ssh.HostException;
import dev.pig.core.ssh.SshTarget;
import dev.pig.core.ssh.Transport;

/**
 * Hosts for in-process CLI tests: each answers the facts script as a bare Debian 12 machine
 * (nothing pig manages is there yet), records every other command and upload instead of running
 * it, and can be made unreachable, made to report another OS, or made to fail chosen commands.
 */
final class FakeHosts implements Connections.Opener {
    private final Map<String, Host> hosts = new ConcurrentHashMap<>();
    /** Commands running at once across all hosts, and the most seen, for --forks. */
    private final AtomicInteger running = new AtomicInteger();
    final AtomicInteger mostAtOnce = new AtomicInteger();
    /** A certificate request made once with a new key by the openssl of the machine running the tests. */
    private static final java.util.function.Supplier<String> REQUEST = new java.util.function.Supplier<>() {
        private volatile String made;

        @Override
        public synchronized String get() {
            if (made == null) {
                try {
                    java.nio.file.Path key = java.nio.file.Files.createTempFile("fake-host", ".key");
                    new ProcessBuilder("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out",
                            key.toString()).start().waitFor();
                    Process p = new ProcessBuilder("openssl", "req", "-new", "-key", key.toString(), "-subj", "/CN=fake").start();
                    made = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    p.waitFor();
                    java.nio.file.Files.delete(key);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            return made;
        }
    };

    /** How long each applied command takes, so commands of several hosts overlap when they may. */
    volatile long commandMillis = 0;

    /** One fake machine, by the address pig connects to. */
    static final class Host {
        final String address;
        volatile boolean reachable = true;
        volatile String hostname = "fake";
        /** The os-release it reports: Debian 12 unless a test makes it something pig cannot plan for. */
        volatile String osRelease = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\nID=debian\n";
        volatile Predicate<String> fails = c -> false;
        /** Called with each command (not the facts) before it runs, on the thread that runs it. */
        volatile java.util.function.Consumer<String> onCommand = c -> { };
        volatile String failure = "";
        volatile String journal = "";
        final List<String> commands = Collections.synchronizedList(new ArrayList<>());
        final List<String> uploads = Collections.synchronizedList(new ArrayList<>());
        /** Commands and uploads ({@code upload /path}) in the order they came. */
        final List<String> log = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger factRuns = new AtomicInteger();
        /** What module sections print on it, by section name ({@code pgsql.patroni.pg-test}); an unlisted one prints nothing. */
        final Map<String, String> sections = new ConcurrentHashMap<>();

        Host(String address) {
            this.address = address;
        }

        /** Commands that changed something (everything but facts). */
        List<String> applied() {
            synchronized (commands) {
                return List.copyOf(commands);
            }
        }

        String facts() {
            return FactParsers.SECTION + "os\n" + osRelease
                    + "PIG_ARCH=x86_64\nPIG_KERNEL=6.1.0\nPIG_SYSTEMD=yes\n"
                    + FactParsers.SECTION + "hostname\n" + hostname + "\n"
                    + FactParsers.SECTION + "cpu\n2\n"
                    + FactParsers.SECTION + "memory\nMemTotal:        4000000 kB\nMemAvailable:    3000000 kB\nSwapTotal:             0 kB\n"
                    + FactParsers.SECTION + "uptime\n100.00\n"
                    + moduleSections()
                    + FactParsers.END + "\n";
        }

        private String moduleSections() {
            StringBuilder out = new StringBuilder();
            sections.forEach((name, body) -> out.append(FactParsers.SECTION).append("ext:").append(name).append('\n').append(body)
                    .append(body.endsWith("\n") ? "" : "\n"));
            return out.toString();
        }
    }

    Host host(String address) {
        return hosts.computeIfAbsent(address, Host::new);
    }

    /** The options of the last connection opened, as the command line set them. */
    volatile ConnectOptions lastOptions;
    /** The target of each host as pig meant to reach it. */
    final Map<String, SshTarget> targets = new ConcurrentHashMap<>();

    @Override
    public Transport open(SshTarget target, ConnectOptions opts) {
        lastOptions = opts;
        targets.put(target.host(), target);
        Host h = host(target.host());
        if (!h.reachable) {
            throw new HostException(PigException.Kind.UNAVAILABLE, target.host(), "connection refused (port " + target.port() + ")");
        }
        return new Transport() {
            private final AtomicInteger count = new AtomicInteger();

            @Override
            public SshTarget target() {
                return target;
            }

            @Override
            public CommandResult run(String command, byte[] stdin, Duration timeout) {
                count.incrementAndGet();
                if (command.equals("sh -s") && stdin != null
                        && new String(stdin, StandardCharsets.UTF_8).contains(FactParsers.END)) {
                    h.factRuns.incrementAndGet();
                    return ok(h.facts());
                }
                if (command.startsWith("journalctl ")) {
                    return ok(h.journal);
                }
                h.onCommand.accept(command);
                h.commands.add(command);
                h.log.add(command);
                int now = running.incrementAndGet();
                mostAtOnce.accumulateAndGet(now, Math::max);
                try {
                    Thread.sleep(commandMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    running.decrementAndGet();
                }
                if (h.fails.test(command)) {
                    return new CommandResult(1, new byte[0], h.failure.getBytes(StandardCharsets.UTF_8));
                }
                // a certificate request (a Step.Sign's) prints one, as openssl does on a real host
                return ok(command.contains("openssl req -new") ? REQUEST.get() : "");
            }

            @Override
            public void upload(byte[] content, String path, String mode, String owner, String group, Duration timeout) {
                count.incrementAndGet();
                h.uploads.add(path);
                h.log.add("upload " + path);
            }

            @Override
            public void directory(String path, String mode, String owner, String group, Duration timeout) {
                run("mkdir " + path + " (" + mode + " " + owner + ":" + group + ")", null, timeout);
            }

            @Override
            public void symlink(String path, String linkTarget, Duration timeout) {
                run("ln -s " + linkTarget + " " + path, null, timeout);
            }

            @Override
            public int commandCount() {
                return count.get();
            }

            @Override
            public void close() {
            }
        };
    }

    private static CommandResult ok(String out) {
        return new CommandResult(0, out.getBytes(StandardCharsets.UTF_8), new byte[0]);
    }
}
