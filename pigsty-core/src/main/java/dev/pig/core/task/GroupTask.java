package dev.pig.core.task;

import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.GroupEntry;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.plan.Action;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.Step;

import java.util.List;
import java.util.Optional;

/** An OS group ({@code node_admin_group}, {@code postgres}). */
public final class GroupTask extends BaseTask {
    private final String group;
    private final Integer gid;

    public GroupTask(String group, Integer gid, String tag) {
        super("group " + group, tag);
        this.group = group;
        this.gid = gid;
    }

    @Override
    public void require(FactRequest.Builder facts) {
        facts.groups(group);
    }

    @Override
    public Change plan(HostFacts facts, PlanContext ctx) {
        Optional<GroupEntry> g = facts.group(group);
        if (g.isEmpty()) {
            String cmd = "groupadd " + (gid == null ? "" : "-g " + gid + " ") + q(group);
            return act(Action.CREATE, "group " + group + (gid == null ? "" : " (gid " + gid + ")"),
                    List.of(Step.Exec.of(cmd, ctx.masker())), "");
        }
        if (gid != null && g.get().gid() != gid) {
            return act(Action.UPDATE, "group " + group + ": gid " + g.get().gid() + " -> " + gid,
                    List.of(Step.Exec.of("groupmod -g " + gid + " " + q(group), ctx.masker())), "");
        }
        return noop("group " + group + " exists (gid " + g.get().gid() + ")");
    }
}
