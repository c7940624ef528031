package dev.pig.modules.redis;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.pig.core.diag.PigException;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.model.ClusterModel;
import dev.pig.core.model.Node;
import dev.pig.core.model.RedisCluster;
import dev.pig.core.model.Secret;
import dev.pig.modules.HostVars;
import dev.pig.modules.ModuleContext;

/**
 * One node of a Redis cluster as the REDIS module describes it: the cluster, the node with its
 * instances, the host's parameters, and what follows from them (where each instance keeps its
 * data, how to reach it, the cluster's fact section).
 *
 * @param ctx     the model and templates of the run
 * @param cluster the node's cluster (a node belongs to one)
 * @param node    the node, with its instances
 * @param v       the parameters of its host
 */
record RedisHost(ModuleContext ctx, RedisCluster cluster, RedisCluster.RedisNode node, HostVars v) {

    /** The redis node on {@code n}, when it is one. */
    static Optional<RedisHost> find(ModuleContext ctx, Node n) {
        for (RedisCluster c : ctx.model().redis()) {
            Optional<RedisCluster.RedisNode> rn = c.node(n.id());
            if (rn.isPresent()) {
                return Optional.of(new RedisHost(ctx, c, rn.get(), ctx.vars(n)));
            }
        }
        return Optional.empty();
    }

    static RedisHost of(ModuleContext ctx, RedisCluster c, RedisCluster.RedisNode rn) {
        return new RedisHost(ctx, c, rn, ctx.vars(ctx.model().node(rn.ip()).orElseThrow()));
    }

    /** The cluster's node of {@code ip}. */
    static RedisHost of(ModuleContext ctx, RedisCluster c, String ip) {
        return of(ctx, c, c.node(ip).orElseThrow(() -> new IllegalArgumentException(ip + " is no node of " + c.name())));
    }

    boolean sentinel() {
        return cluster.mode() == RedisCluster.Mode.SENTINEL;
    }

    List<RedisCluster.Instance> instances() {
        return node.instances();
    }

    /** {@code redis_password} of the cluster. */
    Secret password() {
        return v.secret("redis_password");
    }

    /** What the instances bind to: {@code redis_bind_address}, or the node's own IP when it is empty (Pigsty's rule). */
    String bind() {
        String b = v.str("redis_bind_address");
        return b.isEmpty() ? node.ip() : b;
    }

    /** How to reach {@code i}, an instance of this node. */
    RedisCli cli(RedisCluster.Instance i) {
        return RedisCli.of(i, v.str("redis_bind_address"), password());
    }

    /** {@code redis_fs_main/redis/<instance>}: its data, and its working directory. */
    String dataDir(RedisCluster.Instance i) {
        return v.str("redis_fs_main") + "/redis/" + i.name();
    }

    /** The node's own host, as the plan names it. */
    String host() {
        return dev.pig.modules.Deployment.target(ctx.model().node(node.ip()).orElseThrow()).host();
    }

    /** The cluster's fact section, the same on every node of the cluster. */
    RedisLive live() {
        return live(ctx, cluster);
    }

    /** The fact section of {@code c}: every instance reached as its own node reaches it, with the first node's password. */
    static RedisLive live(ModuleContext ctx, RedisCluster c) {
        Map<RedisCluster.Instance, RedisCli> clis = new LinkedHashMap<>();
        Secret password = new Secret("");
        for (RedisCluster.RedisNode rn : c.nodes()) {
            RedisHost h = of(ctx, c, rn);
            if (rn == c.nodes().get(0)) {
                password = h.password();
            }
            rn.instances().forEach(i -> clis.put(i, h.cli(i)));
        }
        return RedisLive.of(c, password, clis);
    }

    /**
     * What instance {@code i} says, from this node's facts; an instance that answers but takes
     * neither {@code redis_password} nor the recorded password cannot be planned.
     */
    RedisLive.Instance state(HostFacts facts, RedisCluster.Instance i) {
        RedisLive.Instance s = facts.extra(live()).instance(i.endpoint());
        if (s.ping().contains("NOAUTH") || s.ping().contains("WRONGPASS")) {
            throw new PigException(PigException.Kind.FAILED, i.name() + " refuses redis_password, and the password pig recorded ("
                    + RedisModule.authRecord(cluster.name()) + "): set redis_password to the password it has, then change it");
        }
        return s;
    }

    /** The nodes of every Redis cluster, for {@link RedisModule#hosts}. */
    static List<Node> hosts(ClusterModel m) {
        return m.redis().stream().flatMap(c -> c.nodes().stream()).map(rn -> m.node(rn.ip()).orElseThrow()).distinct().toList();
    }
}
