package dev.pig.modules.minio;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.pig.core.fact.FactSection;

/**
 * Which of MinIO's packages the node's package sources offer: {@code apt-cache policy} (or
 * {@code dnf list}) on the package lists the node has. MinIO is not in Debian's archive, so a
 * node without Pigsty's repository (or another that carries it) cannot install it, and the plan
 * says so before anything is changed.
 */
final class PackageCandidates implements FactSection<PackageCandidates.View> {
    static final String NAME = "minio.packages";
    static final List<String> PACKAGES = List.of("minio", "mcli");

    /** @param candidate the version each package would install, empty when none is offered */
    record View(Map<String, String> candidate) {
        boolean offers(String pkg) {
            return !candidate.getOrDefault(pkg, "").isEmpty();
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String script() {
        return "if command -v apt-cache >/dev/null 2>&1; then for p in " + String.join(" ", PACKAGES) + "; do "
                + "printf '%s\\t%s\\n' \"$p\" \"$(apt-cache policy \"$p\" 2>/dev/null | sed -n 's/^ *Candidate: *//p')\"; done; "
                + "elif command -v dnf >/dev/null 2>&1; then for p in " + String.join(" ", PACKAGES) + "; do "
                + "printf '%s\\t%s\\n' \"$p\" \"$(dnf -q list --available --installed \"$p\" 2>/dev/null | awk 'NR>1{print $2; exit}')\"; done; fi\n";
    }

    @Override
    public View parse(String output) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            String[] f = line.split("\t", -1);
            if (f.length == 2 && PACKAGES.contains(f[0])) {
                String v = f[1].strip();
                out.put(f[0], v.equals("(none)") ? "" : v);
            }
        }
        return new View(Map.copyOf(out));
    }
}
