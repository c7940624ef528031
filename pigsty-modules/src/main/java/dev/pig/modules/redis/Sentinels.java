package dev.pig.modules.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.pig.core.fact.HostFacts;
import dev.pig.core.model.RedisCluster;
import dev.pig.core.plan.Action;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.Step;
import dev.pig.core.task.FileTask;
import dev.pig.core.task.PlanContext;
import dev.pig.core.task.Skip;
import dev.pig.core.task.Task;

/**
 * The masters a sentinel watches ({@code redis_sentinel_monitor}), set with SENTINEL commands on
 * the running sentinel: a sentinel's config file is its own state (it rewrites it with the
 * replicas, sentinels and epochs it learns), so pig writes it once and never again, and compares
 * the masters it watches with what {@code SENTINEL MASTERS} says. A master that moved in a
 * failover is followed: the sentinels know where it is now, and pig does not point them back.
 *
 * <pre>
 * ~ monitors of redis-meta-1-26379: + redis-ms 10.10.10.10:6379 quorum 2, down-after 3000 ms, auth-pass
 *   monitors of redis-meta-1-26379: watches redis-ms at 10.10.10.10:6380 (failed over from 10.10.10.10:6379), quorum 2, down-after 3000 ms
 * </pre>
 */
final class Sentinels {
    static final String TAG = "redis_ha";

    private Sentinels() {
    }

    /** The sentinel's file when it has none: after that, the sentinel's own. */
    static Task seed(RedisHost h, RedisCluster.Instance i, FileTask file) {
        String path = RedisModule.conf(i.name());
        return new dev.pig.core.task.Deferred(file.name(), file.tag(), b -> b.files(path), (facts, ctx) -> facts.file(path).exists()
                ? new Skip(file.name(), file.tag(), path + " is the sentinel's own since pig wrote it: it rewrites it with what it learns")
                : file);
    }

    /** The masters one sentinel watches. */
    static final class Monitors extends InstanceTask {
        Monitors(RedisHost h, RedisCluster.Instance i) {
            super("monitors of " + i.name(), TAG, h, i);
        }

        @Override
        public Change plan(HostFacts facts, PlanContext ctx) {
            RedisLive.View view = facts.extra(h.live());
            RedisLive.Instance s = state(facts);
            RedisCli cli = h.cli(i);
            List<String> extra = new ArrayList<>();
            StringBuilder cmd = new StringBuilder(RedisCli.PRELUDE);
            List<String> what = new ArrayList<>();
            List<String> fine = new ArrayList<>();
            for (RedisCluster.Monitor m : h.cluster().monitors()) {
                String n = m.name();
                Optional<RedisLive.SentinelMaster> live = s.up() ? s.sentinelMaster(n) : Optional.empty();
                if (m.remove()) {
                    if (s.up() && live.isEmpty()) {
                        fine.add("does not watch " + n + " (remove: true)");
                        continue;
                    }
                    cmd.append("if ").append(cli.cmd("SENTINEL", "MASTER", n)).append(" >/dev/null 2>&1; then ")
                            .append(cli.cmd("SENTINEL", "REMOVE", n)).append("; fi\n");
                    what.add("- " + n);
                    continue;
                }
                String pwVar = "pig_m" + extra.size();
                if (m.password().isPresent()) {
                    extra.add(m.password().get().reveal());
                    cmd.append("IFS= read -r ").append(pwVar).append(" || true\n");
                }
                if (live.isEmpty()) {
                    RedisCluster.Endpoint at = current(view, m);
                    // a sentinel that was down may know the master already: MONITOR only what it does not watch
                    cmd.append("if ! ").append(cli.cmd("SENTINEL", "MASTER", n)).append(" >/dev/null 2>&1; then ")
                            .append(cli.cmd("SENTINEL", "MONITOR", n, at.host(), String.valueOf(at.port()), String.valueOf(m.quorum())))
                            .append("; fi\n");
                    cmd.append(cli.cmd("SENTINEL", "SET", n, "quorum", String.valueOf(m.quorum()), "down-after-milliseconds",
                            String.valueOf(m.downAfter()))).append('\n');
                    if (m.password().isPresent()) {
                        cmd.append(cli.withSecret(pwVar, "", "SENTINEL", "SET", n, "auth-pass")).append('\n');
                    }
                    what.add("+ " + n + " " + at + (at.equals(m.endpoint()) ? "" : " (where it runs now; the inventory says "
                            + m.endpoint() + ")") + " quorum " + m.quorum() + ", down-after " + m.downAfter() + " ms"
                            + (m.password().isPresent() ? ", auth-pass" : ""));
                    continue;
                }
                RedisLive.SentinelMaster lm = live.get();
                List<String> set = new ArrayList<>();
                List<String> changes = new ArrayList<>();
                if (lm.quorum() != m.quorum()) {
                    set.addAll(List.of("quorum", String.valueOf(m.quorum())));
                    changes.add("quorum " + lm.quorum() + " -> " + m.quorum());
                }
                if (lm.downAfter() != m.downAfter()) {
                    set.addAll(List.of("down-after-milliseconds", String.valueOf(m.downAfter())));
                    changes.add("down-after " + lm.downAfter() + " -> " + m.downAfter() + " ms");
                }
                if (!set.isEmpty()) {
                    List<String> args = new ArrayList<>(List.of("SENTINEL", "SET", n));
                    args.addAll(set);
                    cmd.append(cli.cmd(args.toArray(String[]::new))).append('\n');
                }
                String authPass = s.authPass().getOrDefault(n, "current");
                if (!authPass.equals("current")) {
                    if (m.password().isPresent()) {
                        cmd.append(cli.withSecret(pwVar, "", "SENTINEL", "SET", n, "auth-pass")).append('\n');
                    } else {
                        cmd.append(cli.cmd("SENTINEL", "SET", n, "auth-pass", "")).append('\n');
                    }
                    changes.add("auth-pass");
                }
                String where = lm.endpoint().equals(m.endpoint()) ? " at " + lm.endpoint()
                        : " at " + lm.endpoint() + " (failed over from " + m.endpoint() + ")";
                if (changes.isEmpty()) {
                    fine.add("watches " + n + where + ", quorum " + lm.quorum() + ", down-after " + lm.downAfter() + " ms");
                } else {
                    what.add("~ " + n + where + ": " + String.join(", ", changes));
                }
            }
            if (what.isEmpty()) {
                return noop(i.name() + " " + String.join("; ", fine));
            }
            if (!s.up()) {
                // a new sentinel starts in the launch stage, before this one: wait for it
                cmd.insert(RedisCli.PRELUDE.length(), "(" + cli.waitPing(60, i.name()) + ")\n");
            }
            return act(Action.UPDATE, "monitors of " + i.name() + ": " + String.join("; ", what),
                    List.of(Step.Exec.withInput(cmd.toString(), cli.input(extra.toArray(String[]::new)), ctx.masker())), "");
        }

        /**
         * Where master {@code m} runs now: where the cluster's other sentinels watch it, else where
         * its inventory address says it replicates from, else that address.
         */
        private RedisCluster.Endpoint current(RedisLive.View view, RedisCluster.Monitor m) {
            for (RedisLive.Instance other : view.instances().values()) {
                Optional<RedisLive.SentinelMaster> sm = other.up() ? other.sentinelMaster(m.name()) : Optional.empty();
                if (sm.isPresent()) {
                    return sm.get().endpoint();
                }
            }
            RedisLive.Instance probe = view.probes().get(m.name());
            if (probe != null && probe.replica() && probe.upstream().isPresent()) {
                return probe.upstream().get();
            }
            return m.endpoint();
        }
    }
}
