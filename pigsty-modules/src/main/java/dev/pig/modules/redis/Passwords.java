package dev.pig.modules.redis;

import java.util.ArrayList;
import java.util.List;

import dev.pig.core.fact.HostFacts;
import dev.pig.core.model.RedisCluster;
import dev.pig.core.plan.Action;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.Step;
import dev.pig.core.ssh.Shell;
import dev.pig.core.task.PlanContext;

/**
 * A changed {@code redis_password}, rolled so that no client or replica is locked out. A deploy
 * first makes each instance take the new password beside the old one ({@code ACL SETUSER default
 * >new}, authenticated with the old one pig recorded on the node), in the stage before its file
 * is rewritten; then, once every instance of the run takes it, switches the replicas'
 * {@code masterauth}, the exporter and the sentinels' auth-pass. The old password is dropped by
 * the next deploy ({@code CONFIG SET requirepass new}, or {@code ACL SETUSER default resetpass}
 * on a sentinel), which leaves clients a deploy's time to switch.
 *
 * <pre>
 * ~ password of redis-ms-1-6379: takes the new password beside the old one; the next deploy drops the old one
 * ~ password of redis-ms-1-6379: drops the old password (it took both since the last deploy)
 * </pre>
 */
final class Passwords {
    static final String TAG = "redis_config";

    private Passwords() {
    }

    /** The default user's passwords of one instance (or sentinel), rolled toward {@code redis_password}. */
    static final class Roll extends InstanceTask {
        Roll(RedisHost h, RedisCluster.Instance i) {
            super("password of " + i.name(), TAG, h, i);
        }

        @Override
        public Change plan(HostFacts facts, PlanContext ctx) {
            RedisLive.Instance s = state(facts);
            if (!s.up() || s.auth().isEmpty()) {
                return noop(i.name() + " is not running: it starts with the password of its file");
            }
            RedisLive.Instance.Auth auth = s.auth().get();
            RedisCli cli = h.cli(i);
            String want = h.password().reveal();
            boolean sentinel = h.sentinel();
            String flush = sentinel ? "\n" + cli.cmd("SENTINEL", "FLUSHCONFIG") : "";
            if (want.isEmpty()) {
                if (auth.nopass()) {
                    return noop(i.name() + " takes no password, as redis_password is empty");
                }
                String drop = sentinel ? cli.cmd("ACL", "SETUSER", "default", "resetpass", "nopass") : cli.cmd("CONFIG", "SET", "requirepass", "");
                return act(i.name() + ": redis_password is empty: clients connect without one now", withOld(auth, drop + flush), "\n", ctx);
            }
            if (auth.current() && auth.count() == 1 && !auth.nopass()) {
                return noop(i.name() + " takes redis_password, and only it");
            }
            if (auth.current()) {
                String drop = sentinel ? cli.withSecret("pig_pw", ">", "ACL", "SETUSER", "default", "resetpass")
                        : cli.withSecret("pig_pw", "", "CONFIG", "SET", "requirepass");
                return act(i.name() + ": drops the old password (it took the new one beside it since the last deploy)",
                        RedisCli.PRELUDE + drop + flush, cli.input(), ctx);
            }
            if (auth.nopass() || auth.count() == 0) {
                String set = sentinel ? cli.withSecret("pig_new", ">", "ACL", "SETUSER", "default", "resetpass")
                        : cli.withSecret("pig_new", "", "CONFIG", "SET", "requirepass");
                return act(i.name() + ": takes redis_password; it took none so far", newFirst(set + flush, false), want + "\n", ctx);
            }
            String add = cli.withSecret("pig_new", ">", "ACL", "SETUSER", "default");
            return act(i.name() + ": takes the new password beside the old one; the next deploy drops the old one, once clients"
                    + " have switched", newFirst(add + flush, true), want + "\n", ctx);
        }

        /** A step that reads the new password from stdin, then acts as the old password pig recorded, when {@code withOld}. */
        private String newFirst(String commands, boolean withOld) {
            String old = withOld ? "pig_old=$(cat " + Shell.quote(RedisModule.authRecord(h.cluster().name())) + " 2>/dev/null || true)\n"
                    + "if [ -n \"$pig_old\" ]; then export REDISCLI_AUTH=\"$pig_old\"; else unset REDISCLI_AUTH; fi\n"
                    : "unset REDISCLI_AUTH\n";
            return "IFS= read -r pig_new || true\n" + old + commands;
        }

        /** A step acting as the password the instance has now: the recorded one, or none when it takes none. */
        private String withOld(RedisLive.Instance.Auth auth, String commands) {
            return newFirst(commands, !auth.nopass());
        }

        private Change act(String summary, String command, String input, PlanContext ctx) {
            return act(Action.UPDATE, "password of " + summary, List.of(Step.Exec.withInput(command, input, ctx.masker())), "");
        }
    }

    /** A replica's {@code masterauth}: the password it gives its master, switched once every instance takes it. */
    static final class Masterauth extends InstanceTask {
        Masterauth(RedisHost h, RedisCluster.Instance i) {
            super("masterauth of " + i.name(), "redis_reload", h, i);
        }

        @Override
        public Change plan(HostFacts facts, PlanContext ctx) {
            RedisLive.Instance s = state(facts);
            if (!s.up()) {
                return noop(i.name() + " is not running: it starts with the masterauth of its file");
            }
            String want = h.password().reveal();
            if (want.isEmpty() ? s.masterauth().equals("none") : s.masterauth().equals("current")) {
                return noop(i.name() + (want.isEmpty() ? " gives its master no password" : " gives its master redis_password"));
            }
            RedisCli cli = h.cli(i);
            String cmd = want.isEmpty() ? cli.cmd("CONFIG", "SET", "masterauth", "") : cli.withSecret("pig_pw", "", "CONFIG", "SET", "masterauth");
            List<Step> steps = new ArrayList<>();
            steps.add(Step.Exec.withInput(RedisCli.PRELUDE + cmd, cli.input(), ctx.masker()));
            return act(Action.UPDATE, "masterauth of " + i.name() + ": CONFIG SET masterauth (redis_password; every instance takes it now)",
                    steps, "");
        }
    }
}
