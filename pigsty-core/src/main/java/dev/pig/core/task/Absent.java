package dev.pig.core.task;

import java.util.List;

import dev.pig.core.diag.PigException;
import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.FileState;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.plan.Action;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.Step;
import dev.pig.core.ssh.Shell;

/** A file pig wrote that must be gone ({@code pig node rm}); a directory is never removed. */
public final class Absent implements Task {
    private final String path;
    private final String tag;

    public Absent(String path, String tag) {
        this.path = path;
        this.tag = tag;
    }

    @Override
    public String name() {
        return "file " + path;
    }

    @Override
    public String tag() {
        return tag;
    }

    @Override
    public void require(FactRequest.Builder facts) {
        facts.files(path);
    }

    @Override
    public Change plan(HostFacts facts, PlanContext ctx) {
        FileState s = facts.file(path);
        if (!s.exists()) {
            return new Change.NoOp(name(), tag, "file " + path + " is absent");
        }
        if (s.type() == FileState.Type.DIRECTORY) {
            throw new PigException(PigException.Kind.FAILED, facts.host() + ": " + path + " is a directory, not a file pig wrote");
        }
        ctx.changed(path);
        return new Change.Act(name(), tag, Action.DELETE, "remove " + path,
                List.of(Step.Exec.of("rm -f -- " + Shell.quote(path), ctx.masker())), "");
    }
}
