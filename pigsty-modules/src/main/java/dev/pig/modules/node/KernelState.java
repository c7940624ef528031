package dev.pig.modules.node;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import dev.pig.core.fact.FactParsers;
import dev.pig.core.fact.FactSection;
import dev.pig.core.ssh.Shell;

/**
 * The running kernel's values of the settings {@code node_tune} manages, and whether each can be
 * set here: in a container most of {@code /proc/sys} and {@code /sys} are read-only, and some
 * keys do not exist at all (per-namespace ones a container's kernel view lacks). One line each:
 *
 * <pre>
 * sysctl	vm.swappiness	rw	60
 * sysctl	net.core.netdev_max_backlog	missing
 * thp	enabled	ro	always [madvise] never
 * </pre>
 */
final class KernelState implements FactSection<KernelState.View> {
    static final String NAME = "node.kernel";

    /** @param state {@code rw}, {@code ro} or {@code missing} */
    record Entry(String state, String value) {
        boolean exists() {
            return !state.equals("missing");
        }

        boolean writable() {
            return state.equals("rw");
        }

        /** The selected word of a sysfs choice list: {@code madvise} of {@code always [madvise] never}. */
        String selected() {
            int open = value.indexOf('[');
            int close = value.indexOf(']', open + 1);
            return open >= 0 && close > open ? value.substring(open + 1, close) : value;
        }
    }

    static final Entry MISSING = new Entry("missing", "");
    /** For reading the section's value, which facts find by name; only the script depends on the keys. */
    static final KernelState LOOKUP = new KernelState(List.of());

    record View(Map<String, Entry> sysctls, Entry thp) {
        Entry sysctl(String key) {
            return sysctls.getOrDefault(key, MISSING);
        }
    }

    private final List<String> keys;

    /** @param keys every sysctl key any host of the run may set, so one script serves all hosts */
    KernelState(java.util.Collection<String> keys) {
        this.keys = List.copyOf(new TreeSet<>(keys));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String script() {
        // a dot inside a key's part (an interface eth0.100) is written as a slash, as sysctl does.
        // One find for what is writable, one grep for every value, one awk to put them together: a
        // few processes for all the keys instead of a few per key
        return "pig_keys=" + Shell.quote(String.join("\n", keys)) + "\n"
                + "pig_paths=$(printf '%s\\n' \"$pig_keys\" | awk 'NF { p = \"\"; for (i = 1; i <= length($0); i++) {"
                + " c = substr($0, i, 1); p = p (c == \".\" ? \"/\" : c == \"/\" ? \".\" : c) } print \"/proc/sys/\" p }')\n"
                + "pig_rw=$(printf '%s\\n' \"$pig_paths\" | xargs -r sh -c 'find \"$@\" -maxdepth 0 -writable 2>/dev/null' pig)\n"
                + "pig_val=$(printf '%s\\n' \"$pig_paths\" | xargs -r grep -H '' 2>/dev/null)\n"
                // through the environment, which awk does not unescape as it does -v values
                + "printf '%s\\n' \"$pig_keys\" | pig_p=\"$pig_paths\" pig_w=\"$pig_rw\" pig_v=\"$pig_val\" awk '\n"
                + "  BEGIN { n = split(ENVIRON[\"pig_p\"], p, \"\\n\"); m = split(ENVIRON[\"pig_w\"], w, \"\\n\");"
                + " for (i = 1; i <= m; i++) W[w[i]] = 1;\n"
                + "    m = split(ENVIRON[\"pig_v\"], v, \"\\n\"); for (i = 1; i <= m; i++) { j = index(v[i], \":\"); f = substr(v[i], 1, j - 1);"
                + " if (!(f in V)) V[f] = substr(v[i], j + 1) } }\n"
                + "  NF { k++; f = p[k]; s = (f in W) ? \"rw\" : (f in V) ? \"ro\" : \"missing\";"
                + " printf \"sysctl\\t%s\\t%s\\t%s\\n\", $0, s, (f in V) ? V[f] : \"\" }'\n"
                + "if [ ! -e " + Tune.THP + " ]; then pig_s=missing; elif [ -w " + Tune.THP + " ]; then pig_s=rw; else pig_s=ro; fi\n"
                + "printf 'thp\\tenabled\\t%s\\t%s\\n' \"$pig_s\" \"$(cat " + Tune.THP + " 2>/dev/null)\"\n";
    }

    @Override
    public View parse(String output) {
        Map<String, Entry> sysctls = new LinkedHashMap<>();
        Entry thp = MISSING;
        for (String line : output.lines().toList()) {
            String[] f = line.split("\t", 4);
            if (f.length < 3) {
                continue;
            }
            Entry e = new Entry(f[2].strip(), f.length == 4 ? FactParsers.normalizeSysctl(f[3]) : "");
            if (f[0].equals("sysctl")) {
                sysctls.put(f[1], e);
            } else if (f[0].equals("thp") && f[1].equals("enabled")) {
                thp = e;
            }
        }
        return new View(Map.copyOf(sysctls), thp);
    }
}
