package dev.pig.core.fact;

import dev.pig.core.diag.PigException;
import dev.pig.core.ssh.CommandResult;
import dev.pig.core.ssh.HostException;
import dev.pig.core.ssh.Shell;
import dev.pig.core.ssh.Transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the facts script for a {@link FactRequest}, runs it as {@code sh -s} (one command per
 * host) and parses the answer into {@link HostFacts}.
 */
public final class FactGatherer {
    /** Built-in sections that change by themselves and so stay out of the fingerprint. */
    static final Set<String> VOLATILE = Set.of("uptime", "memory", "disks", "timing");
    private static final String EXTRA = "ext:";
    private static final String BASE_SCRIPT = load();

    private final Map<String, FactSection<?>> sections = new LinkedHashMap<>();

    /** A gatherer that can run the given module sections when a request names them. */
    public FactGatherer(List<? extends FactSection<?>> moduleSections) {
        for (FactSection<?> s : moduleSections) {
            if (sections.put(s.name(), s) != null) {
                throw new IllegalArgumentException("two fact sections named " + s.name());
            }
        }
    }

    public FactGatherer() {
        this(List.of());
    }

    /** The complete script for a request, as sent on stdin. */
    public String script(FactRequest r) {
        return script(r, false);
    }

    /**
     * The script, and with {@code timing} the time each section took on the host (wall and CPU),
     * reported in a section of its own ({@link HostFacts#timings()}); timing costs a fork per section.
     * The checks and the modules' sections run as background jobs, each timed on its own.
     */
    public String script(FactRequest r, boolean timing) {
        StringBuilder sb = new StringBuilder();
        if (timing) {
            sb.append("PIG_TIMING=1\n");
        }
        sb.append("PIG_PACKAGES=").append(Shell.quote(String.join("\n", r.packages()))).append('\n');
        sb.append("PIG_UNITS=").append(Shell.quote(String.join("\n", r.units()))).append('\n');
        StringBuilder files = new StringBuilder();
        for (String f : r.files()) {
            files.append(r.fileContents().contains(f) ? "c " : "- ").append(f).append('\n');
        }
        sb.append("PIG_FILES=").append(Shell.quote(files.toString())).append('\n');
        sb.append("PIG_USERS=").append(Shell.quote(String.join("\n", r.users()))).append('\n');
        sb.append("PIG_GROUPS=").append(Shell.quote(String.join("\n", r.groups()))).append('\n');
        sb.append("PIG_SYSCTLS=").append(Shell.quote(String.join("\n", r.sysctls()))).append('\n');
        sb.append("PIG_CHECKS=").append(Shell.quote(String.join("\n", r.checks()))).append('\n');
        // each module snippet in a function whose body is a subshell, so it cannot exit the script
        // or change variables for the others; the base script runs them (stdin from /dev/null, as
        // the script itself arrives on stdin and a tool reading it would swallow the rest)
        StringBuilder calls = new StringBuilder();
        int i = 0;
        for (String name : r.sections()) {
            i++;
            sb.append("pig_section_").append(i).append("() (\n").append(section(name).script()).append("\n)\n");
            calls.append("  \"$1\" ").append(i).append(' ').append(Shell.quote(EXTRA + name)).append(" pig_section_").append(i).append('\n');
        }
        sb.append("pig_modules() {\n").append(calls).append("  :\n}\n");
        sb.append(BASE_SCRIPT);
        if (timing) {
            sb.append("\npig_mark end\nsection timing\nprintf '%s' \"$pig_times\"\n")
                    .append("[ -z \"$pig_jobs\" ] || cat -- \"$pig_jobs\"/*.t 2>/dev/null\n");
        }
        sb.append("\nprintf '%s\\n' '").append(FactParsers.END).append("'\n");
        return sb.toString();
    }

    /**
     * Gathers the facts of one host in one command.
     *
     * @throws HostException when the host is unreachable or the script fails
     */
    public HostFacts gather(Transport t, FactRequest r, Duration timeout) {
        return gather(t, r, timeout, false);
    }

    /** Gathers the facts of one host, with each section's time when {@code timing}. */
    public HostFacts gather(Transport t, FactRequest r, Duration timeout, boolean timing) {
        return parse(t.target().host(), r, run(t, r, timeout, timing));
    }

    /**
     * Runs the facts script on one host and returns what it printed, unparsed: what
     * {@code pig facts -o} records for {@link #parse} to read later.
     *
     * @throws HostException when the host is unreachable or the script fails
     */
    public String run(Transport t, FactRequest r, Duration timeout, boolean timing) {
        CommandResult res = t.run("sh -s", script(r, timing).getBytes(StandardCharsets.UTF_8), timeout);
        if (!res.ok() || !res.out().contains(FactParsers.END)) {
            throw new HostException(PigException.Kind.FAILED, t.target().host(),
                    "gathering facts failed (exit " + res.exitCode() + "): " + res.tail(1));
        }
        return res.out();
    }

    /** Parses the output of {@link #script}; pure, for tests on captured output. */
    public HostFacts parse(String host, FactRequest r, String output) {
        Map<String, String> s = FactParsers.sections(output);
        Map<String, Object> extras = new LinkedHashMap<>();
        for (String name : r.sections()) {
            extras.put(name, section(name).parse(s.getOrDefault(EXTRA + name, "")));
        }
        return new HostFacts(host, r,
                FactParsers.os(s.getOrDefault("os", "")),
                FactParsers.hostname(s.getOrDefault("hostname", "")),
                FactParsers.cpus(s.getOrDefault("cpu", "")),
                FactParsers.memory(s.getOrDefault("memory", "")),
                FactParsers.disks(s.getOrDefault("disks", "")),
                FactParsers.uptime(s.getOrDefault("uptime", "")),
                FactParsers.packages(s.getOrDefault("packages", "")),
                FactParsers.units(s.getOrDefault("units", "")),
                FactParsers.files(s.getOrDefault("files", "")),
                FactParsers.users(s.getOrDefault("users", "")),
                FactParsers.groups(s.getOrDefault("groups", "")),
                FactParsers.sysctls(s.getOrDefault("sysctl", "")),
                FactParsers.checks(r.checks(), s.getOrDefault("checks", "")),
                extras,
                fingerprint(s),
                named(FactParsers.timings(s.getOrDefault("timing", "")), r.checks()));
    }

    /** The timings with each check's job ({@code check#N}) named by its command, cut short. */
    private static List<HostFacts.SectionTiming> named(List<HostFacts.SectionTiming> timings, List<String> checks) {
        return timings.stream().map(t -> {
            if (!t.section().startsWith("check#")) {
                return t;
            }
            try {
                String c = checks.get(Integer.parseInt(t.section().substring(6)) - 1).strip().replaceAll("\\s+", " ");
                return new HostFacts.SectionTiming("check " + (c.length() > 48 ? c.substring(0, 47) + "\u2026" : c), t.wallMillis(), t.cpuMillis(),
                        t.background());
            } catch (NumberFormatException | IndexOutOfBoundsException e) {
                return t;
            }
        }).toList();
    }

    /** sha256 over every section but the volatile ones, in output order. */
    String fingerprint(Map<String, String> sections) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            sections.forEach((name, body) -> {
                if (VOLATILE.contains(name) || (name.startsWith(EXTRA)
                        && sections.containsKey(name) && isVolatileExtra(name.substring(EXTRA.length())))) {
                    return;
                }
                md.update(("@@" + name + "\n" + body).getBytes(StandardCharsets.UTF_8));
            });
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean isVolatileExtra(String name) {
        FactSection<?> s = sections.get(name);
        return s != null && s.isVolatile();
    }

    private FactSection<?> section(String name) {
        FactSection<?> s = sections.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no fact section named " + name);
        }
        return s;
    }

    private static String load() {
        try (InputStream in = FactGatherer.class.getResourceAsStream("facts.sh")) {
            if (in == null) {
                throw new IllegalStateException("facts.sh missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
