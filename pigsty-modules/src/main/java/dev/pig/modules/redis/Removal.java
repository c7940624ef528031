package dev.pig.modules.redis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.pig.core.diag.PigException;
import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.Gathered;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.model.Node;
import dev.pig.core.model.RedisCluster;
import dev.pig.core.plan.Action;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.Step;
import dev.pig.core.ssh.Shell;
import dev.pig.core.task.BaseTask;
import dev.pig.core.task.CommandTask;
import dev.pig.core.task.PlanContext;
import dev.pig.core.task.Staged;
import dev.pig.core.task.Task;
import dev.pig.core.task.UnitTask;
import dev.pig.modules.Deployment;
import dev.pig.modules.ModuleContext;
import dev.pig.modules.Operation;

/**
 * Removing instances, a node or a whole cluster ({@code pig redis rm}), planned from what the
 * cluster says now. What the cluster needs first runs on a node that stays: in a native cluster
 * each leaving master hands its slots over (a failover to a replica that stays, else its slots
 * moved to the masters that stay), then each leaving node is forgotten ({@code --cluster
 * del-node}); sentinels that stay are reset once the leaving ones are stopped, so they forget
 * them. Refused, with the reason, when what stays could not go on: a master whose replicas stay,
 * a native cluster left without a master, sentinels too few for a quorum. Then each leaving
 * instance is stopped and its unit, file, log and (with {@code redis_rm_data}) data removed; a
 * node left with no instance also loses the exporter, the template unit and pig's record.
 */
final class Removal {
    private Removal() {
    }

    /** What leaves a node when {@code gone}, instances of it, are removed. */
    static List<Staged> node(RedisHost h, List<RedisCluster.Instance> gone) {
        List<Staged> out = new ArrayList<>();
        boolean rmData = h.v().bool("redis_rm_data");
        for (RedisCluster.Instance i : gone) {
            String u = Shell.quote(RedisModule.unit(i.name()));
            out.add(Stage.of(3, "stop", CommandTask.unless("stop " + i.name(), "! systemctl is-active -q " + u + " && ! systemctl is-enabled -q "
                    + u, "systemctl disable --now " + u + " 2>/dev/null || systemctl stop " + u, "redis_launch")));
            List<String> paths = new ArrayList<>(List.of(RedisModule.conf(i.name()), RedisModule.log(i.name())));
            if (rmData) {
                paths.add(h.dataDir(i));
            }
            paths.forEach(p -> out.add(Stage.of(4, "clean", remove(p))));
        }
        if (gone.size() == h.instances().size()) {
            out.add(Stage.of(3, "stop", new UnitTask(Exporter.UNIT, false, false, List.of(), List.of(), "redis_exporter")));
            for (String p : List.of(Exporter.DEFAULTS, RedisModule.authRecord(h.cluster().name()))) {
                out.add(Stage.of(4, "clean", remove(p)));
            }
            // Debian's own units, masked while pig's instances ran, are left disabled
            RedisModule.PACKAGED_UNITS.forEach(u -> out.add(Stage.of(4, "clean", CommandTask.unless("unmask " + u,
                    "[ \"$(readlink /etc/systemd/system/" + u + ")\" != /dev/null ]",
                    "systemctl unmask " + u + " && { systemctl disable " + u + " 2>/dev/null || true; }", "redis_install"))));
            // the directories pig made for the node's instances, once empty
            for (String d : List.of(h.v().str("redis_fs_main") + "/redis", RedisModule.AUTH_DIR)) {
                // empty or not is known only once the instances' directories are gone, in the same stage
                out.add(Stage.of(4, "clean", CommandTask.unless("remove " + d, gone(d), "rmdir --ignore-fail-on-non-empty -- " + Shell.quote(d),
                        "redis_dir")));
            }
            out.add(Stage.of(4, "clean", CommandTask.unless("remove " + RedisModule.UNIT_TEMPLATE, gone(RedisModule.UNIT_TEMPLATE),
                    "rm -f -- " + Shell.quote(RedisModule.UNIT_TEMPLATE) + " && systemctl daemon-reload", "redis_config")));
            if (h.v().bool("redis_rm_pkg")) {
                String pkgs = String.join(" ", RedisModule.packages(h).stream().map(Shell::quote).toList());
                out.add(Stage.of(4, "clean", CommandTask.unless("remove packages " + String.join(" ", RedisModule.packages(h)),
                        "! dpkg -s " + Shell.quote(RedisModule.packages(h).get(0)) + " >/dev/null 2>&1",
                        "export DEBIAN_FRONTEND=noninteractive; apt-get purge -y -q " + pkgs, "redis_install")));
            }
        }
        return out;
    }

    private static Task remove(String path) {
        return CommandTask.unless("remove " + path, gone(path), "rm -rf -- " + Shell.quote(path), "redis_config");
    }

    /** A check that passes once nothing is at {@code path}. */
    static String gone(String path) {
        return "[ ! -e " + Shell.quote(path) + " ] && [ ! -L " + Shell.quote(path) + " ]";
    }

    /**
     * {@code pig redis rm}: {@code gone}, instances of {@code c}, removed; the whole cluster when
     * they are all of it.
     */
    static Operation of(ModuleContext ctx, RedisCluster c, List<RedisCluster.Instance> gone) {
        Map<Node, List<Task>> cleanup = new LinkedHashMap<>();
        Map<Node, RedisHost> hosts = new LinkedHashMap<>();
        for (RedisCluster.RedisNode rn : c.nodes()) {
            RedisHost h = RedisHost.of(ctx, c, rn);
            Node n = ctx.model().node(rn.ip()).orElseThrow();
            hosts.put(n, h);
            List<RedisCluster.Instance> here = rn.instances().stream().filter(gone::contains).toList();
            if (!here.isEmpty()) {
                cleanup.put(n, new ArrayList<>(node(h, here)));
            }
        }
        boolean whole = gone.size() == c.instances().size();
        RedisLive live = RedisHost.live(ctx, c);
        FactRequest liveness = FactRequest.builder().sections(live.name()).build();
        return new Operation() {
            @Override
            public Map<Node, FactRequest> probe() {
                Map<Node, FactRequest> out = new LinkedHashMap<>();
                hosts.keySet().forEach(n -> out.put(n, cleanup.containsKey(n) ? Operation.needs(cleanup.get(n), liveness) : liveness));
                return out;
            }

            @Override
            public Work work(Gathered probed) {
                Map<Node, List<Task>> tasks = new LinkedHashMap<>();
                List<String> notes = new ArrayList<>();
                if (!whole) {
                    Node at = staying(hosts, gone, probed, live).orElseThrow(() -> new PigException(PigException.Kind.UNAVAILABLE,
                            "no node of " + c.name() + " that stays could be asked about the cluster: " + reasons(hosts, gone, probed)
                                    + ". Bring one back first, or remove the whole cluster."));
                    HostFacts f = probed.facts().get(Deployment.target(at).host());
                    RedisLive.View view = f.extra(live);
                    List<Task> first = switch (c.mode()) {
                        case CLUSTER -> handOver(hosts.get(at), gone, view);
                        case SENTINEL -> sentinels(hosts, gone, view, tasks);
                        case STANDALONE -> standalone(c, gone, view, ctx);
                    };
                    if (!first.isEmpty()) {
                        tasks.computeIfAbsent(at, k -> new ArrayList<>()).addAll(first);
                    }
                    notes.add("Removing " + String.join(", ", gone.stream().map(RedisCluster.Instance::name).toList()) + " from " + c.name()
                            + "; what stays is asked through " + at.id() + ".");
                } else {
                    notes.add("Removing the whole cluster " + c.name() + " (" + gone.size() + " instance" + (gone.size() == 1 ? "" : "s") + ").");
                }
                cleanup.forEach((n, t) -> tasks.computeIfAbsent(n, k -> new ArrayList<>()).addAll(t));
                return new Work(tasks, notes);
            }
        };
    }

    /** The first node that stays whose facts answered, by {@code redis_node}. */
    private static Optional<Node> staying(Map<Node, RedisHost> hosts, List<RedisCluster.Instance> gone, Gathered probed, RedisLive live) {
        return hosts.entrySet().stream()
                .filter(e -> e.getValue().instances().stream().anyMatch(i -> !gone.contains(i)))
                .filter(e -> {
                    HostFacts f = probed.facts().get(Deployment.target(e.getKey()).host());
                    return f != null && f.extra(live).answered();
                })
                .map(Map.Entry::getKey).findFirst();
    }

    private static String reasons(Map<Node, RedisHost> hosts, List<RedisCluster.Instance> gone, Gathered probed) {
        List<String> why = new ArrayList<>();
        hosts.forEach((n, h) -> {
            if (h.instances().stream().anyMatch(i -> !gone.contains(i))) {
                String host = Deployment.target(n).host();
                String failure = probed.failures().get(host);
                why.add(host + (failure != null ? " unreachable (" + failure + ")" : " has no redis-cli"));
            }
        });
        return String.join("; ", why);
    }

    /**
     * A standalone cluster loses replicas freely; a master goes only with the replicas it has now
     * (as the instances say), and not while sentinels of the inventory watch the cluster.
     */
    private static List<Task> standalone(RedisCluster c, List<RedisCluster.Instance> gone, RedisLive.View view, ModuleContext ctx) {
        for (RedisCluster.Instance i : gone) {
            RedisLive.Instance s = view.instance(i.endpoint());
            List<String> staying = c.instances().stream().filter(o -> !gone.contains(o))
                    .filter(o -> view.instance(o.endpoint()).upstream().map(i.endpoint()::equals).orElse(false)
                            || o.replicaOf().map(i.endpoint()::equals).orElse(false) && !view.instance(o.endpoint()).up())
                    .map(RedisCluster.Instance::name).toList();
            if (!staying.isEmpty()) {
                throw new PigException(PigException.Kind.USAGE, i.name() + " is the master of " + String.join(", ", staying)
                        + " (as the instances say now), which stay: removing it would leave them replicating from nothing."
                        + " Remove the replicas first, or the whole cluster: pig redis rm " + c.name());
            }
            boolean master = s.up() ? s.master() : i.replicaOf().isEmpty();
            for (RedisCluster sc : ctx.model().redis()) {
                for (RedisCluster.Monitor m : sc.monitors()) {
                    if (master && !m.remove() && c.instance(m.endpoint()).isPresent()) {
                        throw new PigException(PigException.Kind.USAGE, "sentinels of " + sc.name() + " watch " + c.name() + " as master '"
                                + m.name() + "', and " + i.name() + " is its master now: removing it would start a failover. Set"
                                + " 'remove: true' on that entry of redis_sentinel_monitor and deploy " + sc.name() + " first, or remove"
                                + " the whole cluster.");
                    }
                }
            }
        }
        return List.of();
    }

    /**
     * Sentinels that stay must still make every quorum; once the leaving ones are stopped, the
     * staying ones are reset so they forget them (they rediscover each other in seconds).
     */
    private static List<Task> sentinels(Map<Node, RedisHost> hosts, List<RedisCluster.Instance> gone, RedisLive.View view,
                                        Map<Node, List<Task>> tasks) {
        RedisCluster c = hosts.values().iterator().next().cluster();
        long stay = c.instances().size() - gone.size();
        for (RedisCluster.Monitor m : c.monitors()) {
            if (!m.remove() && m.quorum() > stay) {
                throw new PigException(PigException.Kind.USAGE, "the quorum of '" + m.name() + "' is " + m.quorum() + " and " + stay
                        + " sentinel" + (stay == 1 ? "" : "s") + " of " + c.name() + " would stay: no failover could be agreed."
                        + " Lower the quorum in redis_sentinel_monitor and deploy " + c.name() + " first, or remove the whole cluster.");
            }
        }
        hosts.forEach((n, h) -> h.instances().stream().filter(i -> !gone.contains(i)).forEach(i -> {
            RedisCli cli = h.cli(i);
            Task reset = new Reset(i, cli, gone.stream().map(RedisCluster.Instance::name).toList());
            tasks.computeIfAbsent(n, k -> new ArrayList<>()).add(Stage.of(5, "reset sentinels", reset));
        }));
        return List.of();
    }

    /**
     * A native cluster without the leaving instances: each leaving master hands its slots to a
     * replica that stays (CLUSTER FAILOVER there), else they move to the masters that stay; then
     * every leaving instance is forgotten.
     */
    private static List<Task> handOver(RedisHost at, List<RedisCluster.Instance> gone, RedisLive.View view) {
        RedisCluster c = at.cluster();
        Optional<RedisLive.Instance> ref = c.instances().stream().filter(i -> !gone.contains(i)).map(i -> view.instance(i.endpoint()))
                .filter(s -> s.up() && s.knownNodes() > 1).findFirst();
        if (ref.isEmpty()) {
            // not a cluster (yet): nothing to hand over, nothing to forget
            return List.of();
        }
        List<RedisLive.ClusterNode> nodes = ref.get().nodes();
        List<RedisCluster.Endpoint> leaving = gone.stream().map(RedisCluster.Instance::endpoint).toList();
        List<String> what = new ArrayList<>();
        StringBuilder cmd = new StringBuilder(RedisCli.PRELUDE);
        RedisCli via = RedisHost.of(at.ctx(), c, ref.get().endpoint().host()).cli(c.instance(ref.get().endpoint()).orElseThrow());
        List<String> drain = new ArrayList<>();
        boolean anyMasterStays = nodes.stream().anyMatch(n -> n.master() && !n.failed() && !leaving.contains(n.endpoint()));
        // in the inventory's order, whatever order CLUSTER NODES lists them in
        List<RedisLive.ClusterNode> goneNodes = leaving.stream().flatMap(e -> nodes.stream().filter(n -> n.endpoint().equals(e))).toList();
        for (RedisLive.ClusterNode n : goneNodes) {
            if (!n.master() || n.slotCount() == 0) {
                continue;
            }
            Optional<RedisLive.ClusterNode> heir = nodes.stream().filter(r -> !r.master() && !r.failed() && r.masterId().equals(n.id())
                    && !leaving.contains(r.endpoint())).findFirst();
            if (heir.isPresent()) {
                RedisCli h = via.withHost(heir.get().endpoint());
                cmd.append(h.cmd("CLUSTER", "FAILOVER")).append('\n')
                        .append("for i in $(seq 60); do ").append(h.cmd("INFO", "replication")).append(" | tr -d '\\r' | grep -qx 'role:master' && break; ")
                        .append("[ $i = 60 ] && { echo ").append(Shell.quote(heir.get().endpoint() + " did not take over from " + n.endpoint()
                                + " in 60 s")).append(" >&2; exit 1; }; sleep 1; done\n");
                what.add(n.endpoint() + " fails over to its replica " + heir.get().endpoint());
            } else if (anyMasterStays) {
                drain.add(n.id() + "=0");
                what.add("the " + n.slotCount() + " slots of " + n.endpoint() + " move to the masters that stay");
            } else {
                throw new PigException(PigException.Kind.USAGE, "no master of " + c.name() + " would stay to take the slots of "
                        + n.endpoint() + ", and none of its replicas stays: remove the whole cluster (pig redis rm " + c.name()
                        + "), or keep a master");
            }
        }
        if (!drain.isEmpty()) {
            List<String> words = new ArrayList<>(List.of("redis-cli", "--no-auth-warning", "--cluster", "rebalance", via.address(),
                    "--cluster-weight"));
            words.addAll(drain);
            // the progress bar is a '#' per slot: kept out of the log
            cmd.append(Shell.join(words)).append(" >/dev/null\n");
        }
        List<String> forget = new ArrayList<>();
        for (RedisLive.ClusterNode n : goneNodes) {
            cmd.append(Shell.join(List.of("redis-cli", "--no-auth-warning", "--cluster", "del-node", via.address(), n.id())))
                    .append(" >/dev/null\n");
            forget.add(n.endpoint().toString());
        }
        if (forget.isEmpty()) {
            return List.of();
        }
        what.add("the cluster forgets " + String.join(", ", forget));
        return List.of(Stage.of(1, "hand over", new HandOver(c, String.join("; ", what), cmd.toString(), via)));
    }

    /** The native cluster's part of a removal, run on a node that stays. */
    static final class HandOver extends BaseTask {
        private final String what;
        private final String command;
        private final RedisCli via;

        HandOver(RedisCluster c, String what, String command, RedisCli via) {
            super("command hand over " + c.name(), NativeCluster.TAG);
            this.what = what;
            this.command = command;
            this.via = via;
        }

        @Override
        public void require(FactRequest.Builder b) {
            // decided from the facts the removal probed
        }

        @Override
        public Change plan(HostFacts facts, PlanContext ctx) {
            return act(Action.RUN, "command hand over: " + what, List.of(Step.Exec.withInput(command, via.input(), ctx.masker())), "");
        }
    }

    /** A staying sentinel forgets the ones that left: {@code SENTINEL RESET *}. */
    static final class Reset extends BaseTask {
        private final RedisCluster.Instance i;
        private final RedisCli cli;
        private final List<String> gone;

        Reset(RedisCluster.Instance i, RedisCli cli, List<String> gone) {
            super("command reset " + i.name(), Sentinels.TAG);
            this.i = i;
            this.cli = cli;
            this.gone = gone;
        }

        @Override
        public void require(FactRequest.Builder b) {
            // runs once the leaving sentinels are stopped, whatever the facts
        }

        @Override
        public Change plan(HostFacts facts, PlanContext ctx) {
            return act(Action.RUN, "command reset " + i.name() + ": SENTINEL RESET * (forgets " + String.join(", ", gone) + ")",
                    List.of(Step.Exec.withInput(RedisCli.PRELUDE + cli.cmd("SENTINEL", "RESET", "*"), cli.input(), ctx.masker())), "");
        }
    }
}
