package dev.pig.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import dev.pig.core.diag.PigException;
import dev.pig.core.model.ClusterModel;
import dev.pig.core.model.EtcdCluster;
import dev.pig.core.model.ModelLoader;
import dev.pig.core.model.Node;
import dev.pig.core.plan.Plan;
import dev.pig.core.ssh.SshTarget;
import dev.pig.core.task.Task;
import dev.pig.core.template.Templates;
import dev.pig.modules.Deployment;
import dev.pig.modules.HostVars;
import dev.pig.modules.ModuleContext;
import dev.pig.modules.etcd.EtcdModule;
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
     * {@code pig etcd rm IP}: removes the member from the cluster through a surviving member,
     * then stops it and cleans its host. Refused with {@code etcd_safeguard} or when the
     * remaining members would lose quorum. Remove the host from the inventory afterwards.
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
            EtcdCluster.Member survivor = m.etcd().orElseThrow().members().stream().filter(x -> !goneIps.contains(x.ip()))
                    .findFirst().orElseThrow(() -> new PigException(PigException.Kind.USAGE,
                            "removing every member would destroy the etcd cluster; remove fewer members"));
            EtcdModule etcd = new EtcdModule();
            var out = spec.commandLine().getOut();
            var err = spec.commandLine().getErr();
            InventoryCommand.printWarnings(err, loaded);
            run.limit = null;
            try (EngineRun r = new EngineRun(loaded, run, Set.of("etcd"))) {
                Map<String, SshTarget> targets = r.deployment().targets();
                Map<SshTarget, List<Task>> work = new LinkedHashMap<>();
                Node sv = m.node(survivor.ip()).orElseThrow();
                List<Task> onSurvivor = new ArrayList<>();
                for (EtcdCluster.Member g : gone) {
                    onSurvivor.add(etcd.memberRemove(ctx, sv, m.node(g.ip()).orElseThrow()));
                }
                work.put(targets.get(Deployment.target(sv).host()), onSurvivor);
                for (EtcdCluster.Member g : gone) {
                    Node n = m.node(g.ip()).orElseThrow();
                    work.put(targets.get(Deployment.target(n).host()), new ArrayList<>(etcd.removal(ctx, n)));
                }
                Plan plan = r.plan(work);
                EngineRun.show(plan, false, out);
                int unreachable = EngineRun.unreachable(plan, err);
                if (unreachable >= 0) {
                    return unreachable;
                }
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
    }
}
