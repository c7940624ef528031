package dev.pig.modules.node;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.pig.core.fact.FactRequest;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.HostPlan;
import dev.pig.core.plan.Step;
import dev.pig.modules.RecordedFacts;

/**
 * Writes the facts a host reports once a plan has been applied to it: the fresh host's output
 * with every requested package installed, every unit running and enabled, and every file,
 * directory, link, user and group the plan creates as the plan leaves it. Used only to
 * (re)generate the {@code converged} fixture with {@code -Dpig.fixtures.update=true}.
 */
final class ConvergedFacts {
    private static final Pattern HOSTNAME = Pattern.compile("^hostname '?([^' ]+)'?$");
    private static final Pattern USERADD = Pattern.compile("useradd -m -u (\\d+) -g '?([^' ]+)'? -d '?([^' ]+)'? -s '?([^' ]+)'? '?([^' ]+)'?$");
    private static final Pattern GROUPADD = Pattern.compile("groupadd -g (\\d+) '?([^' ]+)'?$");
    private static final Pattern STAMP = Pattern.compile("printf '%s\\\\n' '?([0-9a-f]{64})'? > (\\S+)$");
    private static final Pattern MOVE = Pattern.compile("mv -f --backup=numbered -- (.+) \\S+/$");
    private static final Pattern SYSCTL_PAIR = Pattern.compile("'([^'=]+)=([^']*)'|([^\\s'=]+)=(\\S+)");

    private ConvergedFacts() {
    }

    static RecordedFacts of(RecordedFacts fresh, FactRequest request, HostPlan plan) {
        String hostname = fresh.section("hostname").strip();
        Map<String, String> files = new TreeMap<>();
        Map<String, String> users = new TreeMap<>();
        Map<String, String> groups = new TreeMap<>();
        Map<String, String> kernel = new LinkedHashMap<>();
        for (String line : fresh.section("ext:node.kernel").lines().toList()) {
            String[] f = line.split("\t", 4);
            kernel.put(f[0] + "\t" + f[1], line);
        }
        java.util.Set<String> repoFiles = new java.util.TreeSet<>(fresh.section("ext:node.repo-files").lines().toList());
        for (Change c : plan.changes()) {
            if (!(c instanceof Change.Act a)) {
                continue;
            }
            for (Step s : a.steps()) {
                if (s instanceof Step.Upload u) {
                    String path = u.path().replaceAll("/\\.([^/]+)\\.pig-new$", "/$1");
                    // facts carry a file's content only when asked for it (never a private key's)
                    files.put(path, path + "\tfile\t" + statMode(u.mode()) + "\t" + u.owner() + "\t" + u.group() + "\t"
                            + u.content().length + "\t" + u.sha256() + "\t\n"
                            + (request.fileContents().contains(path) ? "@@content " + Base64.getEncoder().encodeToString(u.content()) + "\n" : ""));
                    if (path.startsWith("/etc/apt/sources.list.d/")) {
                        repoFiles.add(path);
                    }
                } else if (s instanceof Step.Dir d) {
                    files.put(d.path(), d.path() + "\tdir\t" + statMode(d.mode()) + "\t" + d.owner() + "\t" + d.group() + "\t0\t\t\n");
                } else if (s instanceof Step.Link l) {
                    files.put(l.path(), l.path() + "\tlink\t777\troot\troot\t0\t\t" + l.target() + "\n");
                } else if (s instanceof Step.Exec e) {
                    Matcher m;
                    if ((m = HOSTNAME.matcher(e.command())).find()) {
                        hostname = m.group(1);
                    } else if ((m = USERADD.matcher(e.command())).find()) {
                        users.put(m.group(5), m.group(5) + ":x:" + m.group(1) + ":" + m.group(1) + "::" + m.group(3) + ":" + m.group(4) + "\n");
                    } else if ((m = GROUPADD.matcher(e.command())).find()) {
                        groups.put(m.group(2), m.group(2) + ":x:" + m.group(1) + ":\n");
                    } else if (e.command().startsWith("sysctl -q -w ")) {
                        Matcher kv = SYSCTL_PAIR.matcher(e.command().substring(0, e.command().indexOf(';')));
                        while (kv.find()) {
                            String k = kv.group(1) != null ? kv.group(1) : kv.group(3);
                            String val = kv.group(1) != null ? kv.group(2) : kv.group(4);
                            kernel.put("sysctl\t" + k, "sysctl\t" + k + "\trw\t" + val);
                        }
                    } else if (e.command().startsWith("update-ca-certificates")) {
                        String link = NodeModule.TRUST_DIR + "/" + NodeModule.TRUST_LINK;
                        files.put(link, link + "\tlink\t777\troot\troot\t0\t\t" + NodeModule.TRUST_ANCHOR + "\n");
                    } else if (e.command().startsWith("echo never > ")) {
                        kernel.put("thp\tenabled", "thp\tenabled\trw\talways madvise [never]");
                    } else if ((m = MOVE.matcher(e.command())).find()) {
                        for (String moved : m.group(1).split(" ")) {
                            repoFiles.remove(moved.replace("'", ""));
                        }
                    }
                    if ((m = STAMP.matcher(e.command())).find()) {
                        String stamp = m.group(1) + "\n";
                        files.put(m.group(2), m.group(2) + "\tfile\t644\troot\troot\t" + stamp.length() + "\t"
                                + Step.Hashes.sha256(stamp.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "\t\n@@content "
                                + Base64.getEncoder().encodeToString(stamp.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "\n");
                    }
                }
            }
        }
        StringBuilder packages = new StringBuilder();
        request.packages().forEach(p -> packages.append(p).append("\tii \t1.0-1\n"));
        StringBuilder units = new StringBuilder();
        request.units().forEach(u -> units.append("@@unit ").append(u).append("\nLoadState=loaded\nActiveState=active\nSubState=running\n"
                + "UnitFileState=enabled\nActiveEnterTimestampMonotonic=1000000\nMainPID=100\n"));
        StringBuilder fileSection = new StringBuilder();
        for (String p : request.files()) {
            fileSection.append(files.getOrDefault(p, p + "\tmissing\t\t\t\t0\t\t\n"));
        }
        RecordedFacts out = fresh.section("hostname", hostname + "\n")
                .section("packages", packages.toString())
                .section("units", units.toString())
                .section("files", fileSection.toString())
                .section("users", String.join("", users.values()))
                .section("groups", String.join("", groups.values()))
                .section("sysctl", "");
        if (fresh.has("ext:node.kernel")) {
            out = out.section("ext:node.kernel", kernel.values().stream().map(l -> l + "\n").reduce("", String::concat));
        }
        if (fresh.has("ext:node.repo-files")) {
            out = out.section("ext:node.repo-files", repoFiles.stream().map(l -> l + "\n").reduce("", String::concat));
        }
        return out;
    }

    /** {@code stat -c %a} prints no leading zero. */
    private static String statMode(String mode) {
        String m = mode.replaceFirst("^0+", "");
        return m.isEmpty() ? "0" : m;
    }
}
