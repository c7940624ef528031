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
        // a dot inside a key's part (an interface eth0.100) is written as a slash, as sysctl does
        return "pig_state() { if [ ! -e \"$1\" ]; then echo missing; elif [ -w \"$1\" ]; then echo rw; else echo ro; fi; }\n"
                + "printf '%s\\n' " + Shell.quote(String.join("\n", keys)) + " | while IFS= read -r pig_k; do\n"
                + "  [ -n \"$pig_k\" ] || continue\n"
                + "  pig_f=/proc/sys/$(printf '%s' \"$pig_k\" | tr './' '/.')\n"
                + "  printf 'sysctl\\t%s\\t%s\\t%s\\n' \"$pig_k\" \"$(pig_state \"$pig_f\")\" \"$(cat \"$pig_f\" 2>/dev/null)\"\n"
                + "done\n"
                + "printf 'thp\\tenabled\\t%s\\t%s\\n' \"$(pig_state " + Tune.THP + ")\" \"$(cat " + Tune.THP + " 2>/dev/null)\"\n";
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
