package dev.pig.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.pig.core.diag.PigException;
import dev.pig.core.model.ClusterModel;
import dev.pig.core.model.EtcdCluster;
import dev.pig.core.model.ModelLoader;
import dev.pig.core.model.Node;
import dev.pig.modules.Selection;
import dev.pig.modules.etcd.EtcdModule;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
    static final class Add extends HostsCommand {
        @Mixin
        ApplyOptions apply;
        @Parameters(arity = "1..*", paramLabel = "IP", description = "Hosts to add.")
        List<String> ips;

        @Override
        public Integer call() {
            ModelLoader.Loaded loaded = inventory.load();
            members(loaded.model(), ips);
            run.refuseLimit("give the hosts as arguments, not with -l");
            // the new members are prepared as nodes first; on the running members NODE is a no-op
            Selection sel = run.selection().withLimit(loaded.model().etcd().orElseThrow().group()).withModules(Set.of("node", "etcd"));
            return workflow().apply(loaded, Request.deploy(sel), apply.policy());
        }
    }

    /**
     * {@code pig etcd rm IP}: removes the member from the cluster through a surviving member that
     * answers, then stops it and cleans its host. Refused with {@code etcd_safeguard}, or when the
     * members left answering would not be a majority of the remaining membership. Remove the host
     * from the inventory afterwards.
     */
    @Command(name = "rm", description = "Remove members from the running etcd cluster and clean their hosts.")
    static final class Rm extends HostsCommand {
        @Mixin
        ConfirmOptions confirm;
        @Parameters(arity = "1..*", paramLabel = "IP", description = "Hosts to remove.")
        List<String> ips;

        @Override
        public Integer call() {
            ModelLoader.Loaded loaded = inventory.load();
            ClusterModel m = loaded.model();
            List<EtcdCluster.Member> gone = members(m, ips);
            for (EtcdCluster.Member g : gone) {
                if (Boolean.TRUE.equals(m.value(g.ip(), "etcd_safeguard"))) {
                    throw new PigException(PigException.Kind.USAGE, "etcd_safeguard is set for " + g.ip()
                            + ": refusing to remove member " + g.name() + " (override with -e etcd_safeguard=false)");
                }
            }
            run.refuseLimit("give the hosts as arguments, not with -l");
            run.refuseTags();
            List<Node> nodes = gone.stream().map(g -> m.node(g.ip()).orElseThrow()).toList();
            List<String> goneIps = gone.stream().map(EtcdCluster.Member::ip).toList();
            Request req = Request.removal(Selection.all().withModules(Set.of("etcd")), ctx -> new EtcdModule().memberRemoval(ctx, nodes))
                    .withAfterApply("Removed " + String.join(", ", goneIps) + " from etcd; now delete them from the etcd group of "
                            + inventory.inventory + " and run 'pig deploy -t etcd_config' to refresh the other members' config.");
            return workflow().apply(loaded, req, confirm.policy());
        }
    }
}
