package dev.pig.core.task;

import dev.pig.core.plan.Action;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.Step;

import java.util.List;

/**
 * Name, tag and the two ways a plan can end, for tasks of every module:
 *
 * <pre>{@code
 * final class Reload extends BaseTask {
 *     Reload() { super("reload patroni", "pg_reload"); }
 *     public void require(FactRequest.Builder b) { b.units("patroni.service"); }
 *     public Change plan(HostFacts f, PlanContext c) {
 *         return f.unit("patroni.service").active() ? act(Action.UPDATE, "reload patroni", steps, "") : noop("patroni is not running");
 *     }
 * }
 * }</pre>
 */
public abstract class BaseTask implements Task {
    private final String name;
    private final String tag;

    protected BaseTask(String name, String tag) {
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

    protected Change noop(String reason) {
        return new Change.NoOp(name, tag, reason);
    }

    protected Change act(Action a, String summary, List<Step> steps, String diff) {
        return new Change.Act(name, tag, a, summary, steps, diff);
    }

    protected static String q(String s) {
        return dev.pig.core.ssh.Shell.quote(s);
    }

    protected static String shortHash(String sha) {
        return sha.length() > 12 ? sha.substring(0, 12) + "…" : sha;
    }
}
