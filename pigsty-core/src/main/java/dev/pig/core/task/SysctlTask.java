package dev.pig.core.task;

import dev.pig.core.fact.FactParsers;
import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.plan.Action;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.Step;

import java.util.List;
import java.util.Optional;

/**
 * A kernel parameter set at runtime ({@code node_tune}: {@code vm.swappiness = 0}); persistence
 * across reboots is a {@link FileTask} in {@code /etc/sysctl.d}.
 */
public final class SysctlTask extends BaseTask {
    private final String key;
    private final String value;

    public SysctlTask(String key, String value, String tag) {
        super("sysctl " + key, tag);
        this.key = key;
        this.value = FactParsers.normalizeSysctl(value);
    }

    @Override
    public void require(FactRequest.Builder facts) {
        facts.sysctls(key);
    }

    @Override
    public Change plan(HostFacts facts, PlanContext ctx) {
        Optional<String> cur = facts.sysctl(key);
        if (cur.isPresent() && cur.get().equals(value)) {
            return noop("sysctl " + key + " is " + value);
        }
        return act(Action.UPDATE, "sysctl " + key + ": " + cur.orElse("(absent)") + " -> " + value,
                List.of(Step.Exec.of("sysctl -q -w " + q(key + "=" + value), ctx.masker())), "");
    }
}
