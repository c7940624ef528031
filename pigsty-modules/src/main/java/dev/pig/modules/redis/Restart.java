package dev.pig.modules.redis;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.model.RedisCluster;
import dev.pig.core.plan.Action;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.Step;
import dev.pig.core.ssh.Shell;
import dev.pig.core.task.PlanContext;

/**
 * A running data instance restarted because a setting Redis reads only when it starts changed
 * (the port's neighbours, a renamed command, cluster mode ...): replicas in one stage, masters in
 * the next, as their live roles say, so a master goes down only once its replicas have the new
 * settings. What changed is the part of pig's file Redis does not change live
 * ({@link RedisConf#restartPart}), between the file the instance runs and the one it gets.
 *
 * <pre>
 * ~ restart redis-ms-1-6380 (a replica, before the masters): + rename-command FLUSHALL ""
 * </pre>
 */
final class Restart extends InstanceTask {
    static final String TAG = "redis_restart";

    private final boolean masters;
    private final String content;

    /**
     * @param masters this task restarts the instance when it is a master (the later stage), else when a replica
     * @param content the file the instance gets
     */
    Restart(RedisHost h, RedisCluster.Instance i, boolean masters, String content) {
        super("restart " + i.name() + (masters ? " as a master" : " as a replica"), TAG, h, i);
        this.masters = masters;
        this.content = content;
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
            return noop(i.name() + " is not running: it starts with its new file");
        }
        java.util.Optional<List<String>> running = RedisModule.lines(facts, RedisModule.conf(i.name()));
        if (running.isEmpty()) {
            return noop(i.name() + " runs without pig's file: it gets one and reads it at its next start");
        }
        List<String> before = RedisConf.restartPart(running.get());
        List<String> after = RedisConf.restartPart(content.lines().toList());
        if (before.equals(after)) {
            return noop(i.name() + ": none of the settings it reads only at start changed");
        }
        boolean master = !s.replica();
        if (master != masters) {
            return noop(i.name() + " restarts " + (master ? "with the masters, after the replicas" : "with the replicas, before the masters"));
        }
        RedisCli cli = h.cli(i);
        String cmd = RedisCli.PRELUDE + "systemctl restart " + Shell.quote(RedisModule.unit(i.name())) + "\n(" + cli.waitPing(60, i.name()) + ")";
        String role = keepRole(s, RedisConf.replicaOf(content.lines().toList()));
        if (!role.isEmpty()) {
            cmd += "\n" + cli.cmd(role.split(" "));
        }
        return act(Action.UPDATE, "restart " + i.name() + " (" + (master ? "a master, after the replicas" : "a replica, before the masters")
                        + "): " + String.join(", ", delta(before, after)) + (role.isEmpty() ? "" : "; then " + role + " (its live role)"),
                List.of(Step.Exec.withInput(cmd, cli.input(), ctx.masker())), "");
    }

    /**
     * The REPLICAOF that gives a restarted instance back the role it has now, when its file says
     * otherwise (after a failover the file keeps the inventory's replica_of): empty when the file
     * starts it in its live role already. A native cluster's nodes keep their roles themselves.
     */
    String keepRole(RedisLive.Instance s, String fileReplicaOf) {
        if (h.cluster().mode() == RedisCluster.Mode.CLUSTER) {
            return "";
        }
        if (s.replica() && s.upstream().isPresent()) {
            String live = s.upstream().get().host() + " " + s.upstream().get().port();
            return live.equals(fileReplicaOf) ? "" : "REPLICAOF " + live;
        }
        return fileReplicaOf.isEmpty() ? "" : "REPLICAOF NO ONE";
    }

    /** The lines added ({@code +}) and taken away ({@code -}) between two restart parts. */
    static List<String> delta(List<String> before, List<String> after) {
        Set<String> b = new LinkedHashSet<>(before);
        Set<String> a = new LinkedHashSet<>(after);
        List<String> out = new ArrayList<>();
        before.stream().filter(l -> !a.contains(l)).forEach(l -> out.add("- " + l));
        after.stream().filter(l -> !b.contains(l)).forEach(l -> out.add("+ " + l));
        return out;
    }
}
