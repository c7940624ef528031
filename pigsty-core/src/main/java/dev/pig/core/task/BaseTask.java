package dev.pig.core.task;

import dev.pig.core.plan.Action;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.Step;

import java.util.List;

/** Name, tag and the two ways a plan can end. */
abstract class BaseTask implements Task {
    private final String name;
    private final String tag;

    BaseTask(String name, String tag) {
        this.name = name;
        this.tag = tag == null ? "" : tag;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String tag() {
        return tag;
    }

    Change noop(String reason) {
        return new Change.NoOp(name, tag, reason);
    }

    Change act(Action a, String summary, List<Step> steps, String diff) {
        return new Change.Act(name, tag, a, summary, steps, diff);
    }

    static String q(String s) {
        return dev.pig.core.ssh.Shell.quote(s);
    }

    static String shortHash(String sha) {
        return sha.length() > 12 ? sha.substring(0, 12) + "…" : sha;
    }
}
