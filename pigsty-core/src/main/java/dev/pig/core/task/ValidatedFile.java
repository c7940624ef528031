package dev.pig.core.task;

import java.util.ArrayList;
import java.util.List;

import dev.pig.core.fact.HostFacts;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.Step;
import dev.pig.core.ssh.Shell;

/**
 * A file that is checked on the host before it takes its place: a broken sudoers file locks
 * everyone out of sudo, pig included. New content goes to a staging name first (sudo skips files
 * whose name has a dot), the validator runs on it, and only then is it moved over the real one.
 */
public final class ValidatedFile implements Wrapper {
    private final FileTask file;
    private final String validator;

    /** @param validator a command that takes the staged file's path as its last argument, e.g. {@code visudo -cqf} */
    public ValidatedFile(FileTask file, String validator) {
        this.file = file;
        this.validator = validator;
    }

    @Override
    public Task inner() {
        return file;
    }

    @Override
    public Change plan(HostFacts facts, PlanContext ctx) {
        Change c = file.plan(facts, ctx);
        if (!(c instanceof Change.Act a)) {
            return c;
        }
        String path = file.path();
        String staged = path.substring(0, path.lastIndexOf('/') + 1) + "." + path.substring(path.lastIndexOf('/') + 1) + ".pig-new";
        List<Step> steps = new ArrayList<>();
        for (Step s : a.steps()) {
            if (s instanceof Step.Upload u) {
                steps.add(Step.Upload.of(staged, file.content(), u.mode(), u.owner(), u.group()));
                String st = Shell.quote(staged);
                steps.add(Step.Exec.of("if " + validator + " " + st + "; then mv -f " + st + " " + Shell.quote(path)
                        + "; else rm -f " + st + "; echo " + Shell.quote(path + ": rejected by " + validator) + " >&2; exit 1; fi",
                        ctx.masker()));
            } else {
                steps.add(s);
            }
        }
        return new Change.Act(a.task(), a.tag(), a.action(), a.summary(), steps, a.diff());
    }
}
