package dev.pig.modules.infra;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.pig.core.fact.FactParsers;
import dev.pig.core.fact.FactRequest;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.HostPlan;
import dev.pig.core.plan.Step;

/**
 * The facts an infra node reports once a plan has been applied to it: the fresh host's output
 * with every requested package installed, every unit running and enabled, every file, directory
 * and link as the plan leaves them, the checks given, and the module sections given.
 */
final class Converged {
    private Converged() {
    }

    static String of(String fresh, FactRequest request, HostPlan plan, Map<String, Integer> checks, Map<String, String> sections) {
        Map<String, String> files = new TreeMap<>();
        for (Change c : plan.changes()) {
            if (!(c instanceof Change.Act a)) {
                continue;
            }
            for (Step s : a.steps()) {
                if (s instanceof Step.Upload u) {
                    String path = u.path().replaceAll("/\\.([^/]+)\\.pig-new$", "/$1");
                    files.put(path, path + "\tfile\t" + mode(u.mode()) + "\t" + u.owner() + "\t" + u.group() + "\t" + u.content().length + "\t"
                            + u.sha256() + "\t\n" + (request.fileContents().contains(path)
                            ? "@@content " + Base64.getEncoder().encodeToString(u.content()) + "\n" : ""));
                } else if (s instanceof Step.Dir d) {
                    files.put(d.path(), d.path() + "\tdir\t" + mode(d.mode()) + "\t" + d.owner() + "\t" + d.group() + "\t0\t\t\n");
                } else if (s instanceof Step.Link l) {
                    files.put(l.path(), l.path() + "\tlink\t777\troot\troot\t0\t\t" + l.target() + "\n");
                }
            }
        }
        Map<String, String> out = new LinkedHashMap<>(FactParsers.sections(fresh));
        StringBuilder packages = new StringBuilder();
        request.packages().forEach(p -> packages.append(p).append("\tii \t1.0-1\n"));
        StringBuilder units = new StringBuilder();
        request.units().forEach(u -> units.append("@@unit ").append(u).append("\nLoadState=loaded\nActiveState=active\nSubState=running\n"
                + "UnitFileState=enabled\nActiveEnterTimestampMonotonic=1000000\nMainPID=100\n"));
        StringBuilder fileSection = new StringBuilder();
        for (String p : request.files()) {
            fileSection.append(files.getOrDefault(p, p + "\tmissing\t\t\t\t0\t\t\n"));
        }
        StringBuilder checkSection = new StringBuilder();
        for (String c : request.checks()) {
            checkSection.append(checks.getOrDefault(c, 0)).append('\n');
        }
        out.put("packages", packages.toString());
        out.put("units", units.toString());
        out.put("files", fileSection.toString());
        out.put("checks", checkSection.toString());
        sections.forEach((name, body) -> out.put("ext:" + name, body));
        StringBuilder b = new StringBuilder();
        out.forEach((name, body) -> b.append(FactParsers.SECTION).append(name).append('\n').append(body));
        return b.append(FactParsers.END).append('\n').toString();
    }

    /** {@code stat -c %a} prints no leading zero. */
    private static String mode(String mode) {
        String m = mode.replaceFirst("^0+", "");
        return m.isEmpty() ? "0" : m;
    }

    static List<String> lines(String... l) {
        return List.of(l);
    }
}
