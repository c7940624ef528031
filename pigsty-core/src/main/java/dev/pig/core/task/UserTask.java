package dev.pig.core.task;

import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.fact.UserEntry;
import dev.pig.core.plan.Action;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.Step;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An OS user ({@code node_admin_username}, {@code postgres}).
 *
 * @param uid   wanted uid or null; an existing user's uid is never changed (files would be orphaned)
 * @param group primary group or null
 */
public final class UserTask extends BaseTask {
    private final String user;
    private final Integer uid;
    private final String group;
    private final String home;
    private final String shell;

    public UserTask(String user, Integer uid, String group, String home, String shell, String tag) {
        super("user " + user, tag);
        this.user = user;
        this.uid = uid;
        this.group = group;
        this.home = home;
        this.shell = shell;
    }

    @Override
    public void require(FactRequest.Builder facts) {
        facts.users(user);
    }

    @Override
    public Change plan(HostFacts facts, PlanContext ctx) {
        Optional<UserEntry> u = facts.user(user);
        if (u.isEmpty()) {
            StringBuilder cmd = new StringBuilder("useradd -m");
            if (uid != null) {
                cmd.append(" -u ").append(uid);
            }
            if (group != null) {
                cmd.append(" -g ").append(q(group));
            }
            if (home != null) {
                cmd.append(" -d ").append(q(home));
            }
            if (shell != null) {
                cmd.append(" -s ").append(q(shell));
            }
            cmd.append(' ').append(q(user));
            return act(Action.CREATE, "user " + user, List.of(Step.Exec.of(cmd.toString(), ctx.masker())), "");
        }
        List<String> what = new ArrayList<>();
        StringBuilder mod = new StringBuilder("usermod");
        if (home != null && !home.equals(u.get().home())) {
            what.add("home " + u.get().home() + " -> " + home);
            mod.append(" -d ").append(q(home));
        }
        if (shell != null && !shell.equals(u.get().shell())) {
            what.add("shell " + u.get().shell() + " -> " + shell);
            mod.append(" -s ").append(q(shell));
        }
        if (what.isEmpty()) {
            return noop("user " + user + " exists (uid " + u.get().uid() + ")");
        }
        mod.append(' ').append(q(user));
        return act(Action.UPDATE, "user " + user + ": " + String.join(", ", what),
                List.of(Step.Exec.of(mod.toString(), ctx.masker())), "");
    }
}
