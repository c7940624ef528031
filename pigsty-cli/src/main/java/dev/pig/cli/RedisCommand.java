package dev.pig.cli;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.pig.core.diag.PigException;
import dev.pig.core.model.ClusterModel;
import dev.pig.core.model.ModelLoader;
import dev.pig.core.model.Node;
import dev.pig.core.model.RedisCluster;
import dev.pig.modules.Selection;
import dev.pig.modules.redis.RedisModule;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code pig redis add|rm CLUSTER [IP[:PORT]...]}: Pigsty's redis-add and redis-rm, on a whole
 * cluster, the nodes named by IP, or the instances named by IP and port; plan shown first.
 */
@Command(name = "redis", description = "Create or remove Redis clusters, nodes and instances (REDIS module).",
        subcommands = {RedisCommand.Add.class, RedisCommand.Rm.class})
public final class RedisCommand implements Runnable {
    @Spec
    CommandSpec spec;

    /** The REDIS module alone. */
    static final Set<String> REDIS = Set.of("redis");
    /** The tags whose tasks are one instance's each: with instances named, only theirs are planned. */
    static final List<String> INSTANCE_TAGS = List.of("redis_dir", "redis_config", "redis_launch", "redis_reload", "redis_ha",
            "redis_restart");

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The {@code CLUSTER} argument: a {@code redis_cluster} of the inventory. */
    static RedisCluster cluster(ClusterModel m, String name) {
        return m.redis().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow(() -> new PigException(PigException.Kind.USAGE,
                "the inventory has no Redis cluster '" + name + "': add a group with redis_cluster: " + name + " first"));
    }

    /**
     * What {@code IP} and {@code IP:PORT} arguments name: every instance of a node, or one
     * instance; the whole cluster when there are none.
     */
    static List<RedisCluster.Instance> instances(ClusterModel m, RedisCluster c, List<String> args) {
        if (args == null || args.isEmpty()) {
            return c.instances();
        }
        Set<RedisCluster.Instance> out = new LinkedHashSet<>();
        for (String a : args) {
            int colon = a.lastIndexOf(':');
            String ip = colon < 0 ? a : a.substring(0, colon);
            Node n = m.node(ip).orElseThrow(() -> new PigException(PigException.Kind.USAGE,
                    ip + " is not in the inventory: add it to the group of " + c.name() + " with a redis_node and redis_instances first"));
            RedisCluster.RedisNode rn = c.node(n.id()).orElseThrow(() -> new PigException(PigException.Kind.USAGE,
                    ip + " is no node of " + c.name() + ": add it to the group with a redis_node and redis_instances first"));
            if (colon < 0) {
                out.addAll(rn.instances());
                continue;
            }
            int port;
            try {
                port = Integer.parseInt(a.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new PigException(PigException.Kind.USAGE, a + ": give an instance as IP:PORT, like " + ip + ":6379");
            }
            out.add(rn.instances().stream().filter(i -> i.port() == port).findFirst().orElseThrow(() -> new PigException(
                    PigException.Kind.USAGE, ip + " has no redis instance on port " + port + " in " + c.name() + " (its ports: "
                    + String.join(", ", rn.instances().stream().map(i -> String.valueOf(i.port())).toList())
                    + "): add it to its redis_instances first")));
        }
        return List.copyOf(out);
    }

    /** A verb on one cluster, named by its first argument, and on the nodes or instances after it. */
    abstract static class ClusterVerb extends HostsCommand {
        @Parameters(index = "0", paramLabel = "CLUSTER", description = "The redis_cluster.")
        String cluster;
        @Parameters(index = "1..*", paramLabel = "IP[:PORT]", description = "Nodes (IP) or instances (IP:PORT); the whole cluster when none.")
        List<String> targets;
    }

    /**
     * {@code pig redis add CLUSTER [IP[:PORT]...]}: the REDIS module on the cluster, on the nodes
     * named, or on the instances named (the tasks of the other instances of their nodes are left
     * out, as Pigsty's {@code -e redis_port}); a new instance of a native cluster joins it.
     */
    @Command(name = "add", description = "Create a cluster, or add nodes or instances to it (a native cluster's newcomers join it).")
    static final class Add extends ClusterVerb {
        @Mixin
        ApplyOptions apply;

        @Override
        public Integer call() {
            ModelLoader.Loaded loaded = inventory.load();
            ClusterModel m = loaded.model();
            RedisCluster c = cluster(m, cluster);
            List<RedisCluster.Instance> chosen = instances(m, c, targets);
            run.refuseLimit("give the cluster and its nodes or instances as arguments, not with -l");
            Selection sel = run.selection().withLimit(chosen.stream().map(RedisCluster.Instance::ip).distinct().toList()).withModules(REDIS);
            if (targets != null && targets.stream().anyMatch(t -> t.contains(":"))) {
                Set<String> names = new LinkedHashSet<>(chosen.stream().map(RedisCluster.Instance::name).toList());
                for (String tag : INSTANCE_TAGS) {
                    sel = sel.only(tag, names);
                }
            }
            return workflow().apply(loaded, Request.deploy(sel), apply.policy());
        }
    }

    /**
     * {@code pig redis rm CLUSTER [IP[:PORT]...]}: the instances named (all of the cluster when
     * none) are removed as the cluster now stands: a native cluster first moves their slots
     * away (a failover to a replica that stays, else a reshard) and forgets them; the sentinels
     * that stay forget the ones that go. Refused, with the reason, under {@code redis_safeguard}
     * and when what stays could not go on (see {@code Removal}). Nothing of them is left behind:
     * unit, file, log, data (unless {@code redis_rm_data} is false).
     */
    @Command(name = "rm", description = "Remove instances, nodes or the whole cluster: slots and sentinels handed over first.")
    static final class Rm extends ClusterVerb {
        @Mixin
        ConfirmOptions confirm;

        @Override
        public Integer call() {
            ModelLoader.Loaded loaded = inventory.load();
            ClusterModel m = loaded.model();
            RedisCluster c = cluster(m, cluster);
            List<RedisCluster.Instance> gone = instances(m, c, targets);
            for (RedisCluster.RedisNode rn : c.nodes()) {
                if (gone.stream().anyMatch(i -> i.ip().equals(rn.ip())) && Boolean.TRUE.equals(m.value(rn.ip(), "redis_safeguard"))) {
                    throw new PigException(PigException.Kind.USAGE, "redis_safeguard is set for " + rn.ip() + " in " + c.name()
                            + ": refusing to remove its instances (override with -e redis_safeguard=false)");
                }
            }
            run.refuseLimit("give the cluster and its nodes or instances as arguments, not with -l");
            run.refuseTags();
            List<String> names = gone.stream().map(RedisCluster.Instance::name).toList();
            boolean whole = gone.size() == c.instances().size();
            Request req = Request.removal(Selection.all().withModules(REDIS), ctx -> RedisModule.removal(ctx, c, gone))
                    .withAfterApply("Removed " + (whole ? "the whole cluster " + c.name() : String.join(", ", names)) + "; now delete "
                            + (whole ? "its group" : names.size() == 1 ? "it" : "them") + " from " + inventory.inventory
                            + ", or a deploy makes " + (whole || names.size() > 1 ? "them" : "it") + " again.");
            return workflow().apply(loaded, req, confirm.policy());
        }
    }
}
