package dev.pig.core.task;

import dev.pig.core.diag.PigException;
import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.FileState;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.plan.Action;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.Step;

import java.util.List;

/** A symbolic link, e.g. {@code /pg -> /data/postgres/pg-meta-16}. */
public final class SymlinkTask extends BaseTask {
    private final String path;
    private final String target;

    public SymlinkTask(String path, String target, String tag) {
        super("symlink " + path, tag);
        this.path = path;
        this.target = target;
    }

    @Override
    public void require(FactRequest.Builder facts) {
        facts.files(path);
    }

    @Override
    public Change plan(HostFacts facts, PlanContext ctx) {
        FileState s = facts.file(path);
        Step ln = new Step.Link(path, target);
        if (!s.exists()) {
            ctx.changed(path);
            return act(Action.CREATE, "symlink " + path + " -> " + target, List.of(ln), "");
        }
        if (s.type() != FileState.Type.SYMLINK) {
            throw new PigException(PigException.Kind.FAILED,
                    facts.host() + ": " + path + " is a " + s.type().name().toLowerCase() + ", not a symlink");
        }
        if (s.link().equals(target)) {
            return noop("symlink " + path + " points to " + target);
        }
        ctx.changed(path);
        return act(Action.UPDATE, "symlink " + path + ": " + s.link() + " -> " + target, List.of(ln), "");
    }
}
