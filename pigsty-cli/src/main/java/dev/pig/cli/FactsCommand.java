package dev.pig.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.pig.cli.views.FactsView;
import dev.pig.core.exec.Planner;
import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.FactsFile;
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

    @Option(names = {"-o", "--out"}, paramLabel = "FILE",
            description = "Record the facts in FILE for 'pig plan --facts FILE', which plans without reaching any host"
                    + " (mode 0600: it holds the hosts' configuration files as they are).")
    Path out;

    @Override
    public Integer call() {
        if (out != null) {
            FactsFile.checkWritable(out);
        }
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
            List<String> names = hosts.stream().map(SshTarget::host).toList();
            if (out != null) {
                FactsFile recorded = r.record(requests);
                recorded.save(out);
                view.recorded(names, recorded, out);
                return exit(hosts.size(), recorded.hosts().size(), recorded.failures().size());
            }
            Gathered g = timing ? r.gatherTimed(requests) : r.gather(requests);
            if (json) {
                view.json(names, g, r.deployment().masker());
            } else {
                view.human(names, g, r.deployment().factSections());
                if (timing) {
                    view.timings(names, g, r.deployment().masker());
                }
            }
            return exit(hosts.size(), g.facts().size(), g.failures().size());
        }
    }

    /** 0 when every host answered, 69 when none did, 1 otherwise. */
    private static int exit(int asked, int answered, int failed) {
        if (asked > 0 && answered == 0) {
            return ExitCodes.UNAVAILABLE;
        }
        return failed == 0 ? ExitCodes.OK : ExitCodes.FAILURE;
    }
}
