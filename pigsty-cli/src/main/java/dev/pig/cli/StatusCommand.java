package dev.pig.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.pig.cli.views.StatusView;
import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.Gathered;
import dev.pig.core.model.ModelLoader;
import dev.pig.core.model.Node;
import dev.pig.core.model.PgCluster;
import dev.pig.modules.infra.Status;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pig status [CLUSTER]}: is my cluster healthy? One screen per cluster, read in one round
 * trip per host (the cluster's members and the infra nodes): members, roles, state, lag and
 * timeline from Patroni, the last backup's age and the services' servers from VictoriaMetrics,
 * the alerts firing from Alertmanager. Changes nothing.
 */
@Command(name = "status", description = "Show each cluster's members, roles, lag, timeline, services, last backup and firing alerts.")
public final class StatusCommand extends HostsCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "CLUSTER", description = "One pg_cluster; every cluster when none.")
    String cluster;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() {
        ModelLoader.Loaded loaded = inventory.load();
        StatusView view = new StatusView(spec.commandLine().getOut(), spec.commandLine().getErr());
        view.warnings(loaded);
        List<PgCluster> clusters = new ArrayList<>();
        if (cluster != null) {
            ClusterArgument a = new ClusterArgument();
            a.name = cluster;
            clusters.add(a.in(loaded.model()));
        } else {
            clusters.addAll(loaded.model().pgClusters());
        }
        run.refuseLimit("give the cluster as an argument, not with -l");
        try (EngineRun r = new EngineRun(loaded, run, run.selection(), false)) {
            Map<Node, FactRequest> requests = Status.requests(r.context(), clusters);
            Gathered g = requests.isEmpty() ? Gathered.none() : r.probe(requests);
            g.failures().forEach((host, why) -> view.error(host + ": " + why));
            List<Status.Cluster> out = clusters.stream().map(c -> Status.of(r.context(), c, g)).toList();
            if (json) {
                view.json(out);
            } else {
                view.human(out);
            }
            if (!requests.isEmpty() && g.facts().isEmpty()) {
                return ExitCodes.UNAVAILABLE;
            }
            return ExitCodes.OK;
        }
    }
}
