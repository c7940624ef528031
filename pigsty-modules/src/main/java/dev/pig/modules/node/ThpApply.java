package dev.pig.modules.node;

import java.util.List;

import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.plan.Action;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.Step;
import dev.pig.core.task.PlanContext;
import dev.pig.core.task.Task;

/**
 * Turns transparent huge pages off in the running kernel (the tmpfiles entry written beside it
 * does the same at every boot). Read-only here (a container) or absent from the kernel: nothing
 * to do, and the plan says so.
 */
final class ThpApply implements Task {
    static final String OFF = "never";
    private final String tag;

    ThpApply(String tag) {
        this.tag = tag;
    }

    @Override
    public String name() {
        return "transparent huge pages";
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
        KernelState.Entry thp = facts.extra(KernelState.LOOKUP).thp();
        Virt.View virt = facts.extra(Virt.SECTION);
        if (!thp.exists()) {
            return new Change.NoOp(name(), tag, "this kernel has no transparent huge pages (" + Tune.THP + ")");
        }
        if (thp.selected().equals(OFF)) {
            return new Change.NoOp(name(), tag, "transparent huge pages are off (" + Tune.THP + ": " + thp.value() + ")");
        }
        if (!thp.writable()) {
            return new Change.NoOp(name(), tag, Tune.THP + " is read-only here"
                    + (virt.inContainer() ? " (in a container, " + virt.container() + ": " + SysctlApply.IN_CONTAINER + ")" : "")
                    + ": transparent huge pages stay " + thp.selected());
        }
        return new Change.Act(name(), tag, Action.UPDATE, "transparent huge pages: " + thp.selected() + " -> " + OFF,
                List.of(Step.Exec.of("echo " + OFF + " > " + Tune.THP, ctx.masker())), "");
    }
}
