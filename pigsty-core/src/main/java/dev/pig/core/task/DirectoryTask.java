package dev.pig.core.task;

import dev.pig.core.diag.PigException;
import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.FileState;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.plan.Action;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.Step;

import java.util.ArrayList;
import java.util.List;

/** A directory with mode and owner ({@code pg_fs_main: /data}, {@code /pg/data} 0700 postgres). */
public final class DirectoryTask extends BaseTask {
    private final String path;
    private final String mode;
    private final String owner;
    private final String group;

    public DirectoryTask(String path, String mode, String owner, String group, String tag) {
        super("directory " + path, tag);
        this.path = path;
        this.mode = mode == null ? "0755" : mode;
        this.owner = owner == null ? "root" : owner;
        this.group = group == null ? "root" : group;
    }

    @Override
    public void require(FactRequest.Builder facts) {
        facts.files(path);
    }

    @Override
    public Change plan(HostFacts facts, PlanContext ctx) {
        FileState s = facts.file(path);
        Step dir = new Step.Dir(path, mode, owner, group);
        if (!s.exists()) {
            return act(Action.CREATE, "directory " + path + " (" + mode + " " + owner + ":" + group + ")", List.of(dir), "");
        }
        if (s.type() != FileState.Type.DIRECTORY) {
            throw new PigException(PigException.Kind.FAILED,
                    facts.host() + ": " + path + " is a " + s.type().name().toLowerCase() + ", not a directory");
        }
        List<String> what = new ArrayList<>();
        if (!s.mode().equals(mode)) {
            what.add("mode " + s.mode() + " -> " + mode);
        }
        if (!s.owner().equals(owner) || !s.group().equals(group)) {
            what.add("owner " + s.owner() + ":" + s.group() + " -> " + owner + ":" + group);
        }
        if (what.isEmpty()) {
            return noop("directory " + path + " exists with mode " + mode + " and owner " + owner + ":" + group);
        }
        // mode and owner are set together, by the same safe step that would make the directory
        return act(Action.UPDATE, "directory " + path + ": " + String.join(", ", what), List.of(dir), "");
    }
}
