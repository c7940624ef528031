package dev.pig.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import dev.pig.core.diag.PigException;
import dev.pig.core.exec.Parallel;
import dev.pig.core.exec.Planner;
import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.model.ClusterModel;
import dev.pig.core.model.EtcdCluster;
import dev.pig.core.model.ModelLoader;
import dev.pig.core.model.Node;
import dev.pig.core.plan.HostPlan;
import dev.pig.core.plan.Plan;
import dev.pig.core.ssh.SshTarget;
import dev.pig.core.task.Task;
import dev.pig.core.template.Templates;
import dev.pig.modules.Deployment;
import dev.pig.modules.HostVars;
import dev.pig.modules.ModuleContext;
import dev.pig.modules.etcd.EtcdModule;
import dev.pig.modules.etcd.EtcdQuorum;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code pig etcd add|rm IP...}: grow or shrink the running etcd cluster. */
@Command(name = "etcd", description = "Add members to, or remove members from, the running etcd cluster.",
        subcommands = {EtcdCommand.Add.class, EtcdCommand.Rm.class})
public final class EtcdCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static List<EtcdCluster.Member> members(ClusterModel m, List<String> ips) {
        EtcdCluster e = m.etcd().orElseThrow(() -> new PigException(PigException.Kind.USAGE,
                "the inventory has no etcd group: add one with etcd_cluster and etcd_seq first"));
        List<EtcdCluster.Member> out = new ArrayList<>();
        for (String ip : ips) {
            Node n = m.node(ip).orElseThrow(() -> new PigException(PigException.Kind.USAGE,
                    ip + " is not in the inventory: add it to the etcd group with a new etcd_seq first"));
            out.add(e.members().stream().filter(x -> x.ip().equals(n.id())).findFirst().orElseThrow(() ->
                    new PigException(PigException.Kind.USAGE, ip + " is not in the etcd group: add it there with a new etcd_seq first")));
        }
        return out;
    }

    /**
     * {@code pig etcd add IP}: the new member (already in the inventory's etcd group) is
     * prepared as a node, announced to the running cluster and started with {@code initial-cluster-state: existing};
     * the other members get the new member list in their config without a restart.
     */
    @Command(name = "add", description = "Join hosts of the etcd group to the running cluster.")
    static final class Add implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        InventoryOptions inventory;

        @Mixin
        RunOptions run;

        @Parameters(arity = "1..*", paramLabel = "IP", description = "Hosts to add.")
        List<String> ips;

        @Option(names = {"-y", "--yes"}, description = "Apply without asking.")
        boolean yes;

        @Override
        public Integer call() {
            ModelLoader.Loaded loaded = inventory.load();
            members(loaded.model(), ips);
            // the new members are prepared as nodes first; on the running members NODE is a no-op
            run.limit = loaded.model().etcd().orElseThrow().group();
            return ApplyCommand.applyWith(spec, inventory, run, null, yes, Set.of("node", "etcd"));
        }
    }

    /**
     * {@code pig etcd rm IP}: removes the member from the cluster through a surviving member that
     * answers, then stops it and cleans its host. Refused with {@code etcd_safeguard}, or when the
     * members left answering would not be a majority of the remaining membership. Remove the host
     * from the inventory afterwards.
     */
    @Command(name = "rm", description = "Remove members from the running etcd cluster and clean their hosts.")
    static final class Rm implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        InventoryOptions inventory;

        @Mixin
        RunOptions run;

        @Parameters(arity = "1..*", paramLabel = "IP", description = "Hosts to remove.")
        List<String> ips;

        @Option(names = {"-y", "--yes"}, description = "Apply without asking.")
        boolean yes;

        @Override
        public Integer call() {
            ModelLoader.Loaded loaded = inventory.load();
            ClusterModel m = loaded.model();
            List<EtcdCluster.Member> gone = members(m, ips);
            ModuleContext ctx = new ModuleContext(m, Templates.create(run.templateDir()));
            for (EtcdCluster.Member g : gone) {
                HostVars v = ctx.vars(m.node(g.ip()).orElseThrow());
                if (v.bool("etcd_safeguard")) {
                    throw new PigException(PigException.Kind.USAGE, "etcd_safeguard is set for " + g.ip()
                            + ": refusing to remove member " + g.name() + " (override with -e etcd_safeguard=false)");
                }
            }
            List<String> goneIps = gone.stream().map(EtcdCluster.Member::ip).toList();
            List<Node> goneNodes = gone.stream().map(g -> m.node(g.ip()).orElseThrow()).toList();
            List<Node> remaining = m.etcd().orElseThrow().members().stream().filter(x -> !goneIps.contains(x.ip()))
                    .map(x -> m.node(x.ip()).orElseThrow()).toList();
            if (remaining.isEmpty()) {
                throw new PigException(PigException.Kind.USAGE, "removing every member would destroy the etcd cluster; remove fewer members");
            }
            EtcdModule etcd = new EtcdModule();
            var out = spec.commandLine().getOut();
            var err = spec.commandLine().getErr();
            InventoryCommand.printWarnings(err, loaded);
            run.limit = null;
            try (EngineRun r = new EngineRun(loaded, run, Set.of("etcd"))) {
                Map<String, SshTarget> targets = r.deployment().targets();
                // one round trip per host: the remaining members report the member list and every
                // member's health, the leaving ones what their removal needs
                Map<SshTarget, List<Task>> cleanup = new LinkedHashMap<>();
                Map<SshTarget, FactRequest> requests = new LinkedHashMap<>();
                for (Node n : remaining) {
                    requests.put(targets.get(Deployment.target(n).host()), EtcdModule.livenessRequest());
                }
                for (Node n : goneNodes) {
                    SshTarget t = targets.get(Deployment.target(n).host());
                    cleanup.put(t, new ArrayList<>(etcd.removal(ctx, n)));
                    requests.put(t, Planner.request(cleanup.get(t)).toBuilder().merge(EtcdModule.livenessRequest()).build());
                }
                List<SshTarget> hosts = new ArrayList<>(requests.keySet());
                List<Object> gathered = Parallel.map(hosts, run.forks, t -> {
                    try {
                        return r.gatherer().gather(r.connections().get(t), requests.get(t), EngineRun.FACTS_TIMEOUT);
                    } catch (PigException e) {
                        return e;
                    }
                });
                Map<String, HostFacts> fleet = new LinkedHashMap<>();
                Map<String, String> unreachable = new LinkedHashMap<>();
                for (int i = 0; i < hosts.size(); i++) {
                    if (gathered.get(i) instanceof HostFacts f) {
                        fleet.put(f.host(), f);
                    } else {
                        unreachable.put(hosts.get(i).host(), r.deployment().masker().mask(((PigException) gathered.get(i)).getMessage()));
                    }
                }

                Node sv = EtcdModule.survivor(ctx, goneNodes, fleet).orElseThrow(() -> noSurvivor(ctx, remaining, fleet, unreachable));
                HostFacts svFacts = fleet.get(Deployment.target(sv).host());
                // refused here, before anything is shown or done, with the numbers behind it
                EtcdQuorum.Removal check = EtcdModule.removalCheck(ctx, svFacts, goneNodes);
                out.println("Removing through " + sv.id() + ": " + check.numbers() + ".");

                List<HostPlan> plans = new ArrayList<>();
                plans.add(planHost(svFacts, List.of(etcd.memberRemove(ctx, sv, goneNodes)), r, fleet));
                for (Map.Entry<SshTarget, List<Task>> e : cleanup.entrySet()) {
                    HostFacts f = fleet.get(e.getKey().host());
                    plans.add(f == null ? HostPlan.failed(e.getKey().host(), unreachable.get(e.getKey().host()))
                            : planHost(f, e.getValue(), r, fleet));
                }
                Plan plan = Plan.of(plans);
                EngineRun.show(plan, false, out);
                if (plan.isEmpty() && plan.failedHosts().isEmpty()) {
                    return ExitCodes.OK;
                }
                if (!plan.failedHosts().isEmpty()) {
                    err.println("Error: the removal cannot be planned on every host; nothing was changed.");
                    return ExitCodes.FAILURE;
                }
                if (!EngineRun.confirm(yes, out)) {
                    err.println("Removal cancelled; nothing was changed.");
                    return ExitCodes.FAILURE;
                }
                int code = r.apply(plan, false, out, err);
                if (code == ExitCodes.OK) {
                    out.println("Removed " + String.join(", ", goneIps) + " from etcd; now delete them from the etcd group of "
                            + inventory.inventory + " and run 'pig deploy -t etcd_config' to refresh the other members' config.");
                }
                return code;
            }
        }

        private static HostPlan planHost(HostFacts f, List<Task> tasks, EngineRun r, Map<String, HostFacts> fleet) {
            try {
                return Planner.planFromFacts(f, tasks, r.deployment().masker(), fleet);
            } catch (PigException e) {
                String msg = r.deployment().masker().mask(e.getMessage());
                return HostPlan.failed(f.host(), msg.startsWith(f.host() + ": ") ? msg.substring(f.host().length() + 2) : msg);
            }
        }

        /** Why no remaining member can carry the removal: none reachable, or none whose etcd answers. */
        private static PigException noSurvivor(ModuleContext ctx, List<Node> remaining, Map<String, HostFacts> fleet,
                                               Map<String, String> unreachable) {
            List<String> why = new ArrayList<>();
            for (Node n : remaining) {
                String host = Deployment.target(n).host();
                why.add(host + (unreachable.containsKey(host) ? " unreachable (" + unreachable.get(host) + ")" : " does not answer"));
            }
            boolean noneReached = remaining.stream().noneMatch(n -> fleet.containsKey(Deployment.target(n).host()));
            return new PigException(noneReached ? PigException.Kind.UNAVAILABLE : PigException.Kind.USAGE,
                    "no remaining etcd member answers, so the cluster has no quorum to remove a member with: "
                            + String.join("; ", why) + ". Bring members back first.");
        }
    }
}
