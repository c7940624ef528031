package dev.pig.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.pig.cli.views.FactsView;
import dev.pig.core.exec.Planner;
import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.Gathered;
import dev.pig.core.model.ModelLoader;
import dev.pig.core.ssh.SshTarget;
import dev.pig.core.task.Task;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pig facts}: what pig sees on each host, gathered in one round trip per host. */
@Command(name = "facts", description = "Gather and print the facts pig plans from (one round trip per host).")
public final class FactsCommand extends HostsCommand {
    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Option(names = "--timing", description = "Also time each section of the facts script on each host (wall and CPU).")
    boolean timing;

    @Override
    public Integer call() {
        ModelLoader.Loaded loaded = inventory.load();
        FactsView view = new FactsView(spec.commandLine().getOut(), spec.commandLine().getErr());
        view.warnings(loaded);
        try (EngineRun r = new EngineRun(loaded, run, run.selection(), false)) {
            // every host of the inventory, or those -l selects; each asked what its tasks would need
            Map<SshTarget, List<Task>> work = r.deployment().work();
            Map<SshTarget, FactRequest> requests = new LinkedHashMap<>();
            List<SshTarget> hosts = run.selection().limit().isEmpty() ? List.copyOf(r.deployment().targets().values())
                    : List.copyOf(work.keySet());
            hosts.forEach(t -> requests.put(t, Planner.request(work.getOrDefault(t, List.of()))));
            Gathered g = timing ? r.gatherTimed(requests) : r.gather(requests);
            List<String> names = hosts.stream().map(SshTarget::host).toList();
            if (json) {
                view.json(names, g, r.deployment().masker());
            } else {
                view.human(names, g, r.deployment().factSections());
                if (timing) {
                    view.timings(names, g);
                }
            }
            if (!hosts.isEmpty() && g.facts().isEmpty()) {
                return ExitCodes.UNAVAILABLE;
            }
            return g.failures().isEmpty() ? ExitCodes.OK : ExitCodes.FAILURE;
        }
    }
}
