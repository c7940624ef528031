package dev.pig.modules.redis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.model.Node;
import dev.pig.core.model.RedisCluster;
import dev.pig.core.plan.Action;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.Step;
import dev.pig.core.ssh.Shell;
import dev.pig.core.task.BaseTask;
import dev.pig.core.task.PlanContext;
import dev.pig.modules.Deployment;

/**
 * A native cluster ({@code redis_mode: cluster}) made of the cluster's instances, planned on one
 * node of the run (the first by {@code redis_node}) with every instance in view. When none of the
 * instances is in a cluster yet, {@code redis-cli --cluster create} makes one of all of them, every
 * slot covered, {@code redis_cluster_replicas} replicas per master; the step checks again on the
 * hosts that none is, so it never runs twice. When they are a cluster, an instance it does not
 * list joins it: as a replica of the master with the fewest replicas while one has fewer than
 * {@code redis_cluster_replicas} (on another node than its own when it can), else as a master,
 * and the slots are rebalanced onto it.
 *
 * <pre>
 * + cluster redis-test: create from 6 instances: 3 masters with 1 replica each
 * ~ cluster redis-test: 10.10.10.13:6379 joins as a replica of 10.10.10.12:6380
 *   cluster redis-test: 6 nodes (3 masters), 16384 slots assigned, state ok
 * </pre>
 */
final class NativeCluster extends BaseTask {
    static final String TAG = "redis_join";
    private static final int SLOTS = 16384;

    private final RedisHost h;

    NativeCluster(RedisHost h) {
        super("cluster " + h.cluster().name(), TAG);
        this.h = h;
    }

    @Override
    public void require(FactRequest.Builder b) {
        b.sections(h.live().name());
    }

    /** The node of the cluster that plans cluster-wide work in this run: the first by redis_node among those with facts. */
    static Optional<RedisCluster.RedisNode> planner(RedisHost h, PlanContext ctx) {
        return h.cluster().nodes().stream().sorted(Comparator.comparingInt(RedisCluster.RedisNode::seq))
                .filter(n -> ctx.fleet().containsKey(host(h, n))).findFirst();
    }

    static String host(RedisHost h, RedisCluster.RedisNode n) {
        Node node = h.ctx().model().node(n.ip()).orElseThrow();
        return Deployment.target(node).host();
    }

    @Override
    public Change plan(HostFacts facts, PlanContext ctx) {
        Optional<RedisCluster.RedisNode> planner = planner(h, ctx);
        if (planner.isPresent() && planner.get() != h.node()) {
            return noop("planned on " + planner.get().ip() + " (node " + planner.get().seq() + "), which sees every instance too");
        }
        RedisLive.View view = facts.extra(h.live());
        RedisCluster c = h.cluster();
        List<RedisCluster.Instance> all = c.instances();
        Optional<RedisLive.Instance> member = all.stream().map(i -> view.instance(i.endpoint()))
                .filter(s -> s.up() && s.knownNodes() > 1).findFirst();
        if (member.isEmpty()) {
            return create(all, view, ctx);
        }
        RedisLive.Instance ref = member.get();
        List<RedisCluster.Instance> newcomers = all.stream()
                .filter(i -> ref.nodes().stream().noneMatch(n -> n.endpoint().equals(i.endpoint()))).toList();
        if (newcomers.isEmpty()) {
            return noop(summary(ref));
        }
        return join(ref, newcomers, ctx);
    }

    /** What a member says of the cluster. */
    static String summary(RedisLive.Instance ref) {
        long masters = ref.nodes().stream().filter(n -> n.master() && n.slotCount() > 0).count();
        return ref.nodes().size() + " nodes (" + masters + " masters with slots), " + ref.slotsAssigned() + " slots assigned, state "
                + ref.cluster().getOrDefault("state", "?");
    }

    private Change create(List<RedisCluster.Instance> all, RedisLive.View view, PlanContext ctx) {
        List<String> away = new ArrayList<>();
        for (RedisCluster.RedisNode n : h.cluster().nodes()) {
            if (!ctx.fleet().containsKey(host(h, n))) {
                n.instances().stream().filter(i -> !view.instance(i.endpoint()).up()).forEach(i -> away.add(i.name()));
            }
        }
        if (!away.isEmpty()) {
            return noop("waits for every instance to run before it makes the cluster: " + String.join(", ", away)
                    + " (on nodes outside this run) do not answer");
        }
        int r = h.cluster().replicas();
        List<String> addrs = all.stream().map(i -> cli(i).address()).toList();
        StringBuilder cmd = new StringBuilder(RedisCli.PRELUDE);
        for (RedisCluster.Instance i : all) {
            cmd.append('(').append(cli(i).waitPing(60, i.name())).append(")\n");
        }
        // checked again where it runs: an instance already in a cluster means the plan is out of date
        for (RedisCluster.Instance i : all) {
            cmd.append("[ \"$(").append(cli(i).cmd("CLUSTER", "INFO")).append(" | tr -d '\\r' | sed -n 's/^cluster_known_nodes://p')\" = 1 ] || { echo ")
                    .append(Shell.quote(i.name() + " is in a cluster already: plan again")).append(" >&2; exit 1; }\n");
        }
        List<String> create = new ArrayList<>(List.of("redis-cli", "--no-auth-warning", "--cluster", "create"));
        create.addAll(addrs);
        create.addAll(List.of("--cluster-replicas", String.valueOf(r), "--cluster-yes"));
        cmd.append(Shell.join(create)).append('\n');
        cmd.append(waitOk(all));
        int masters = all.size() / (r + 1);
        return act(Action.CREATE, "cluster " + h.cluster().name() + ": create from " + all.size() + " instances: " + masters + " masters with "
                + r + " replica" + (r == 1 ? "" : "s") + " each, " + SLOTS + " slots",
                List.of(Step.Exec.withInput(cmd.toString(), cli(all.get(0)).input(), ctx.masker())), "");
    }

    private Change join(RedisLive.Instance ref, List<RedisCluster.Instance> newcomers, PlanContext ctx) {
        Map<RedisCluster.Instance, Optional<RedisLive.ClusterNode>> plan = assign(ref.nodes(), newcomers, h.cluster().replicas());
        String existing = ref.endpoint().host() + ":" + ref.endpoint().port();
        StringBuilder cmd = new StringBuilder(RedisCli.PRELUDE);
        List<String> what = new ArrayList<>();
        boolean mastersAdded = false;
        for (Map.Entry<RedisCluster.Instance, Optional<RedisLive.ClusterNode>> e : plan.entrySet()) {
            RedisCluster.Instance i = e.getKey();
            RedisCli cli = cli(i);
            List<String> add = new ArrayList<>(List.of("redis-cli", "--no-auth-warning", "--cluster", "add-node", cli.address(), existing));
            if (e.getValue().isPresent()) {
                add.addAll(List.of("--cluster-slave", "--cluster-master-id", e.getValue().get().id()));
                what.add(i.endpoint() + " joins as a replica of " + e.getValue().get().endpoint());
            } else {
                mastersAdded = true;
                what.add(i.endpoint() + " joins as a master");
            }
            cmd.append('(').append(cli.waitPing(60, i.name())).append(")\n");
            // an instance that joined since the facts were read is left as it is
            cmd.append("if [ \"$(").append(cli.cmd("CLUSTER", "INFO")).append(" | tr -d '\\r' | sed -n 's/^cluster_known_nodes://p')\" = 1 ]; then ")
                    .append(Shell.join(add)).append("; fi\n");
        }
        if (mastersAdded) {
            cmd.append("sleep 2\n").append(Shell.join(List.of("redis-cli", "--no-auth-warning", "--cluster", "rebalance", existing,
                    "--cluster-use-empty-masters"))).append('\n');
            what.add("slots rebalanced onto the new masters");
        }
        List<RedisCluster.Instance> all = h.cluster().instances();
        cmd.append(waitOk(all));
        return act(Action.UPDATE, "cluster " + h.cluster().name() + ": " + String.join("; ", what),
                List.of(Step.Exec.withInput(cmd.toString(), cli(all.get(0)).input(), ctx.masker())), "");
    }

    /**
     * Where each newcomer joins: a replica of the master with the fewest replicas while one has
     * fewer than {@code replicas} (one on another node first, then by address), else a master.
     */
    static Map<RedisCluster.Instance, Optional<RedisLive.ClusterNode>> assign(List<RedisLive.ClusterNode> nodes,
                                                                              List<RedisCluster.Instance> newcomers, int replicas) {
        Map<String, Integer> count = new LinkedHashMap<>();
        List<RedisLive.ClusterNode> masters = nodes.stream().filter(n -> n.master() && !n.failed() && n.slotCount() > 0)
                .sorted(Comparator.comparing(n -> n.endpoint().toString())).toList();
        masters.forEach(m -> count.put(m.id(), 0));
        nodes.stream().filter(n -> !n.master() && !n.failed() && count.containsKey(n.masterId()))
                .forEach(n -> count.merge(n.masterId(), 1, Integer::sum));
        Map<RedisCluster.Instance, Optional<RedisLive.ClusterNode>> out = new LinkedHashMap<>();
        for (RedisCluster.Instance i : newcomers) {
            Optional<RedisLive.ClusterNode> to = masters.stream().filter(m -> count.get(m.id()) < replicas)
                    .min(Comparator.comparingInt((RedisLive.ClusterNode m) -> count.get(m.id()))
                            .thenComparing(m -> m.endpoint().host().equals(i.ip()) ? 1 : 0));
            to.ifPresent(m -> count.merge(m.id(), 1, Integer::sum));
            out.put(i, to);
        }
        return out;
    }

    /** Waits until every instance says the cluster is ok, every slot served. */
    private String waitOk(List<RedisCluster.Instance> all) {
        StringBuilder b = new StringBuilder();
        for (RedisCluster.Instance i : all) {
            b.append("for i in $(seq 60); do ").append(cli(i).cmd("CLUSTER", "INFO")).append(" | tr -d '\\r' | grep -qx 'cluster_state:ok' && break; ")
                    .append("[ $i = 60 ] && { echo ").append(Shell.quote("cluster " + h.cluster().name() + " is not ok at " + i.name() + " after 60 s"))
                    .append(" >&2; exit 1; }; sleep 1; done\n");
        }
        return b.toString();
    }

    private RedisCli cli(RedisCluster.Instance i) {
        return RedisHost.of(h.ctx(), h.cluster(), i.ip()).cli(i);
    }
}
