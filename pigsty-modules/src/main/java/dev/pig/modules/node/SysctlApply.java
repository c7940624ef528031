package dev.pig.modules.node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.pig.core.fact.FactParsers;
import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.plan.Action;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.Step;
import dev.pig.core.ssh.Shell;
import dev.pig.core.task.PlanContext;
import dev.pig.core.task.Task;

/**
 * Brings the running kernel to the settings of the tune file: each key is compared with the
 * kernel's live value, and those that differ are set. So a setting whose load failed once, or
 * one someone changed by hand, is set again by the next run, and a setting dropped from a profile
 * (huge pages turned off, written as 0) is reset. Keys this kernel does not have and keys that
 * are read-only here (in a container, the host's) are skipped and named. After setting, every key
 * is read back: a kernel that keeps another value (fewer huge pages than asked for when memory is
 * short) fails the step with both values, instead of planning the same change forever.
 */
final class SysctlApply implements Task {
    static final String IN_CONTAINER = "kernel settings belong to the host";
    private final String file;
    private final Map<String, String> settings;
    private final String tag;

    SysctlApply(String file, Map<String, String> settings, String tag) {
        this.file = file;
        this.settings = new LinkedHashMap<>(settings);
        this.tag = tag;
    }

    @Override
    public String name() {
        return "sysctl " + file;
    }

    @Override
    public String tag() {
        return tag;
    }

    @Override
    public void require(FactRequest.Builder facts) {
        facts.sections(KernelState.NAME, Virt.NAME);
    }

    @Override
    public Change plan(HostFacts facts, PlanContext ctx) {
        KernelState.View kernel = facts.extra(KernelState.LOOKUP);
        Virt.View virt = facts.extra(Virt.SECTION);
        Map<String, String> set = new LinkedHashMap<>();
        List<String> changes = new ArrayList<>();
        List<String> readOnly = new ArrayList<>();
        List<String> absent = new ArrayList<>();
        for (Map.Entry<String, String> s : settings.entrySet()) {
            KernelState.Entry live = kernel.sysctl(s.getKey());
            String want = FactParsers.normalizeSysctl(s.getValue());
            if (!live.exists()) {
                absent.add(s.getKey());
            } else if (live.value().equals(want)) {
                continue;
            } else if (!live.writable()) {
                readOnly.add(s.getKey());
            } else {
                set.put(s.getKey(), want);
                changes.add(s.getKey() + " " + live.value() + " -> " + want);
            }
        }
        String skipped = skipped(readOnly, absent, virt);
        if (set.isEmpty()) {
            int live = settings.size() - readOnly.size() - absent.size();
            return new Change.NoOp(name(), tag, "the running kernel has " + (live == settings.size() ? "all " + live : live + " of the "
                    + settings.size()) + " settings of " + file + skipped);
        }
        return new Change.Act(name(), tag, Action.UPDATE, "sysctl " + String.join(", ", changes) + skipped,
                List.of(Step.Exec.of(command(set), ctx.masker())), "");
    }

    private static String skipped(List<String> readOnly, List<String> absent, Virt.View virt) {
        StringBuilder b = new StringBuilder();
        if (!readOnly.isEmpty()) {
            b.append("; read-only here").append(virt.inContainer() ? " (in a container, " + virt.container() + ": " + IN_CONTAINER + ")" : "")
                    .append(", left as the kernel has them: ").append(String.join(" ", readOnly));
        }
        if (!absent.isEmpty()) {
            b.append("; not in this kernel: ").append(String.join(" ", absent));
        }
        return b.toString();
    }

    /** {@code sysctl -w} of every key, then each read back; the step fails naming a key the kernel did not take. */
    static String command(Map<String, String> set) {
        List<String> pairs = set.entrySet().stream().map(e -> Shell.quote(e.getKey() + "=" + e.getValue())).toList();
        String all = String.join(" ", pairs);
        return "sysctl -q -w " + all + "; pig_rc=$?; pig_bad=0; "
                + "for pig_kv in " + all + "; do pig_k=${pig_kv%%=*}; pig_w=${pig_kv#*=}; "
                + "pig_v=$(cat \"/proc/sys/$(printf '%s' \"$pig_k\" | tr './' '/.')\" 2>/dev/null); pig_v=$(echo $pig_v); "
                + "[ \"$pig_v\" = \"$pig_w\" ] || { echo \"$pig_k: the kernel has $pig_v, not $pig_w\" >&2; pig_bad=1; }; done; "
                + "[ \"$pig_rc\" -eq 0 ] && [ \"$pig_bad\" -eq 0 ]";
    }
}
