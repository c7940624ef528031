package dev.pig.modules.redis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.model.RedisCluster;
import dev.pig.core.plan.Action;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.Step;
import dev.pig.core.task.PlanContext;

/**
 * The settings a running data instance changes live, compared with what it reports now
 * ({@code CONFIG GET}) rather than with its file, so a change that reached the file but not the
 * instance is still applied: {@code CONFIG SET} for memory, eviction, snapshots, AOF and the bind
 * address (the file has them already: it is written in the stage before), {@code REPLICAOF} when
 * the inventory's {@code replica_of} changed. A role that changed without the inventory changing
 * (a sentinel's failover, a replica promoted by hand) is followed, never forced back:
 *
 * <pre>
 * ~ settings of redis-ms-1-6380: CONFIG SET maxmemory 67108864 -> 33554432 (live, no restart)
 *   settings of redis-ms-1-6380: runs the settings of its file; follows its live role: master (the inventory's replica_of is 10.10.10.10 6379)
 * </pre>
 */
final class LiveSettings extends InstanceTask {
    static final String TAG = "redis_reload";

    private final RedisConf want;

    LiveSettings(RedisHost h, RedisCluster.Instance i) {
        super("settings of " + i.name(), TAG, h, i);
        this.want = RedisConf.of(h, i);
    }

    @Override
    public void require(FactRequest.Builder b) {
        super.require(b);
        b.fileWithContent(RedisModule.conf(i.name()));
    }

    @Override
    public Change plan(HostFacts facts, PlanContext ctx) {
        RedisLive.Instance s = state(facts);
        if (!s.up()) {
            return noop(i.name() + " is not running: it starts with the settings of its file");
        }
        Map<String, String[]> changed = new LinkedHashMap<>();
        want.live().forEach((k, v) -> {
            String now = s.config().get(k);
            if (now == null || !normal(now).equals(normal(v))) {
                changed.put(k, new String[]{now == null ? "?" : now, v});
            }
        });
        List<String> words = new ArrayList<>(List.of("CONFIG", "SET"));
        changed.forEach((k, v) -> {
            words.add(k);
            words.add(v[1]);
        });
        RedisCli cli = h.cli(i);
        StringBuilder cmd = new StringBuilder(RedisCli.PRELUDE);
        List<String> what = new ArrayList<>();
        if (!changed.isEmpty()) {
            cmd.append(cli.cmd(words.toArray(String[]::new))).append('\n');
            changed.forEach((k, v) -> what.add(k + " " + shown(v[0]) + " -> " + shown(v[1])));
        }
        Optional<String> replicaOf = RedisModule.lines(facts, RedisModule.conf(i.name())).map(RedisConf::replicaOf)
                .filter(now -> !now.equals(want.replica_of()));
        if (replicaOf.isPresent()) {
            // the inventory changed the replication source: its new file has it, and so does the instance now
            List<String> args = new ArrayList<>(List.of("REPLICAOF"));
            args.addAll(want.replica_of().isEmpty() ? List.of("NO", "ONE") : List.of(want.replica_of().split(" ")));
            cmd.append(cli.cmd(args.toArray(String[]::new))).append('\n');
            what.add("REPLICAOF " + (want.replica_of().isEmpty() ? "NO ONE" : want.replica_of()) + " (replica_of was "
                    + (replicaOf.get().isEmpty() ? "unset" : replicaOf.get()) + ")");
        }
        if (what.isEmpty()) {
            return noop(i.name() + " runs the settings of its file" + follows(s));
        }
        return act(Action.UPDATE, "settings of " + i.name() + ": " + String.join(", ", what) + " (live, no restart)",
                List.of(Step.Exec.withInput(cmd.toString(), cli.input(), ctx.masker())), "");
    }

    /** How the live role departs from the inventory's, when it does: followed, not forced back. */
    private String follows(RedisLive.Instance s) {
        Optional<RedisCluster.Endpoint> inventory = i.replicaOf();
        if (s.master() && inventory.isPresent()) {
            return "; follows its live role: master (the inventory's replica_of is " + inventory.get().host() + " "
                    + inventory.get().port() + ": a failover promoted it)";
        }
        if (s.replica() && s.upstream().isPresent() && !s.upstream().equals(inventory) && h.cluster().mode() != RedisCluster.Mode.CLUSTER) {
            return "; follows its live role: replica of " + s.upstream().get() + (inventory.isEmpty() ? " (the inventory's master: a failover"
                    + " made it a replica)" : " (the inventory's replica_of is " + inventory.get() + ")");
        }
        return "";
    }

    private static String normal(String v) {
        return String.join(" ", v.strip().split("\\s+"));
    }

    private static String shown(String v) {
        return v.isEmpty() ? "''" : v.contains(" ") ? "'" + v + "'" : v;
    }
}
