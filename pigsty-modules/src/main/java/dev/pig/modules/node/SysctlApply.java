package dev.pig.modules.node;

import java.util.List;

import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.plan.Action;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.Step;
import dev.pig.core.ssh.Shell;
import dev.pig.core.task.PlanContext;
import dev.pig.core.task.Task;

/**
 * Loads a sysctl file into the running kernel when the same plan changes it. Comparing each key
 * with the kernel instead would plan forever for keys the kernel rounds or refuses; the file is
 * the desired state, and {@code -e} skips keys this kernel does not have.
 */
final class SysctlApply implements Task {
    static final String IN_CONTAINER = "in a container: kernel settings belong to the host";
    private final String file;
    private final String tag;

    SysctlApply(String file, String tag) {
        this.file = file;
        this.tag = tag;
    }

    @Override
    public String name() {
        return "command sysctl -p " + file;
    }

    @Override
    public String tag() {
        return tag;
    }

    @Override
    public void require(FactRequest.Builder facts) {
        facts.files(file).sections(Virt.NAME);
    }

    @Override
    public Change plan(HostFacts facts, PlanContext ctx) {
        Virt.View virt = facts.extra(Virt.SECTION);
        if (virt.inContainer()) {
            return new Change.NoOp(name(), tag, IN_CONTAINER + " (" + virt.container() + "); " + file + " is written for it");
        }
        if (ctx.firstChanged(List.of(file)) == null) {
            return new Change.NoOp(name(), tag, file + " is unchanged: its settings were loaded when it was written");
        }
        Step.Exec step = Step.Exec.of("sysctl -q -e -p " + Shell.quote(file), ctx.masker());
        return new Change.Act(name(), tag, Action.RUN, name() + " (" + file + " changed)", List.of(step), "");
    }
}
