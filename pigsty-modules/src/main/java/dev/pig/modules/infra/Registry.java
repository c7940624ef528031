package dev.pig.modules.infra;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.FactSection;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.plan.Action;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.Step;
import dev.pig.core.task.BaseTask;
import dev.pig.core.task.PlanContext;
import dev.pig.core.task.Absent;
import dev.pig.core.task.Deferred;
import dev.pig.core.task.DirectoryTask;
import dev.pig.core.task.FileTask;
import dev.pig.core.task.Skip;
import dev.pig.core.task.Task;
import dev.pig.modules.Registrar;
import dev.pig.modules.Registration;

/**
 * How the registrations of every module are kept on an infra node: one file each, which
 * VictoriaMetrics ({@code file_sd}, re-read every {@code -promscrape.fileSDCheckInterval}) and
 * dnsmasq ({@code hostsdir}, watched) pick up by themselves, so registering or deleting an
 * instance restarts and reloads nothing.
 *
 * <pre>
 * /data/infra/targets/pgsql/pg-test-1.yml
 *   # targets/pgsql/pg-test-1: registered by pig (pg_register), changes are overwritten
 *   - labels: { job: pgsql, cls: pg-test, ins: pg-test-1, ip: 10.10.10.11 }
 *     targets: [ '10.10.10.11:9630' ]
 * /etc/hosts.d/pg-test-1
 *   10.10.10.11 pg-test-1
 * </pre>
 *
 * Every file starts with {@link #MARK}, which is how a deploy of the whole inventory finds the
 * entries pig wrote for instances no longer in it ({@link Files}) and deletes them; files
 * without it (written by hand, or by {@code pig pgsql monitor}) are left alone.
 */
final class Registry {
    static final String MARK = "registered by pig (";
    static final String TEMPLATE = "infra/registration.ftl";
    private static final String NAME = "[A-Za-z0-9_][A-Za-z0-9_.-]*";

    private Registry() {
    }

    /** Where an entry is kept on {@code infra}. */
    static String path(Infra infra, Registration e) {
        if (e instanceof Registration.Target t) {
            return infra.targets() + "/" + t.job() + "/" + t.name() + ".yml";
        }
        if (e instanceof Registration.Probe p) {
            return infra.targets() + "/" + p.job() + "/" + p.name() + ".yml";
        }
        return Infra.HOSTS_DIR + "/" + e.name();
    }

    /** The directory the entry's file is in: {@code targets/<job>}, or {@code /etc/hosts.d}. */
    static String dir(Infra infra, Registration e) {
        String p = path(infra, e);
        return p.substring(0, p.lastIndexOf('/'));
    }

    /** The file of an entry, as the template renders it. */
    static FileTask file(Infra infra, Registrar.Tagged t) {
        Registration e = t.entry();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", e.key());
        m.put("tag", t.tag());
        m.put("groups", groups(infra, e));
        m.put("dns", e instanceof Registration.Dns d ? d.ip() + " " + String.join(" ", d.names()) : "");
        return infra.ctx().file(path(infra, e), TEMPLATE, m, "0644", "root", "root", t.tag(), false);
    }

    /** The target groups of a scrape file: one for a target, one per probed address for a probe. */
    private static List<Map<String, Object>> groups(Infra infra, Registration e) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (e instanceof Registration.Target t) {
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put("job", t.job());
            labels.putAll(t.labels());
            if (!t.path().isEmpty()) {
                labels.put("__metrics_path__", t.path());
            }
            out.add(Map.of("labels", labels, "targets", List.of(t.address())));
        } else if (e instanceof Registration.Probe p) {
            // scraped through this infra node's own blackbox exporter, which probes the address
            String blackbox = "127.0.0.1:" + infra.v().integer("blackbox_port");
            for (String target : p.targets()) {
                Map<String, String> labels = new LinkedHashMap<>();
                labels.put("job", p.job());
                labels.putAll(p.labels());
                labels.put("instance", target);
                labels.put("__metrics_path__", "/probe");
                labels.put("__param_module", p.module());
                labels.put("__param_target", target);
                out.add(Map.of("labels", labels, "targets", List.of(blackbox)));
            }
        }
        return out;
    }

    /**
     * The tasks that write {@code entries} on an infra node. Where INFRA is deployed in the same
     * run ({@code complete}), its directories are made earlier in the run and every entry pig
     * wrote that the inventory no longer declares is deleted; elsewhere an entry waits for
     * INFRA's own deploy on a node that does not have the registry yet.
     */
    static List<Task> register(Infra infra, List<Registrar.Tagged> all, boolean complete) {
        List<Task> out = new ArrayList<>();
        Set<String> dirs = new LinkedHashSet<>();
        List<Registrar.Tagged> entries = all.stream().filter(t -> kept(infra, t.entry())).toList();
        for (Registrar.Tagged t : entries) {
            String dir = dir(infra, t.entry());
            if (dirs.add(dir)) {
                DirectoryTask d = new DirectoryTask(dir, "0755", "root", "root", t.tag());
                out.add(complete ? d : whenDeployed(infra, d.name(), t.tag(), d));
            }
            FileTask f = file(infra, t);
            out.add(complete ? f : whenDeployed(infra, f.name(), t.tag(), f));
        }
        if (complete) {
            Set<String> wanted = new LinkedHashSet<>();
            entries.forEach(t -> wanted.add(path(infra, t.entry())));
            out.add(new Stale(infra, Files.of(infra), wanted));
        }
        return out;
    }

    /**
     * Whether {@code infra} keeps entries of this kind: DNS names where it runs dnsmasq, probes
     * where it runs the blackbox exporter they are scraped through, targets everywhere.
     */
    static boolean kept(Infra infra, Registration e) {
        if (e instanceof Registration.Dns) {
            return infra.v().bool("dns_enabled");
        }
        if (e instanceof Registration.Probe) {
            return infra.v().bool("blackbox_enabled");
        }
        return true;
    }

    /** The tasks that delete {@code gone} from an infra node. */
    static List<Task> deregister(Infra infra, List<Registrar.Tagged> gone) {
        return gone.stream().<Task>map(t -> new Absent(path(infra, t.entry()), t.tag())).toList();
    }

    /** {@code task} where the registry exists; a no-op that says why where INFRA has not been deployed. */
    private static Task whenDeployed(Infra infra, String name, String tag, Task task) {
        String targets = infra.targets();
        return new Deferred(name, tag, b -> {
            b.files(targets);
            task.require(b);
        }, (facts, pctx) -> facts.file(targets).exists() ? task
                : new Skip(name, tag, "INFRA is not deployed on " + infra.name() + " yet (no " + targets
                        + "): its deploy registers every instance of the inventory"));
    }

    /**
     * The registration files pig wrote on an infra node, by the {@link #MARK} on their first line:
     * under {@code targets/<job>/} and {@code /etc/hosts.d/}. Paths that are not of that shape
     * are dropped: names read from a host never become more than a quoted path to delete.
     */
    static final class Files implements FactSection<List<String>> {
        private final String targets;

        private Files(String targets) {
            this.targets = targets;
        }

        static Files of(Infra infra) {
            return new Files(infra.targets());
        }

        @Override
        public String name() {
            return "infra.registry:" + targets;
        }

        @Override
        public String script() {
            return FactSection.markedFiles(dev.pig.core.ssh.Shell.quote(targets) + "/*/*.yml " + Infra.HOSTS_DIR + "/*", MARK);
        }

        @Override
        public List<String> parse(String output) {
            Pattern target = Pattern.compile(Pattern.quote(targets) + "/" + NAME + "/" + NAME + "\\.yml");
            Pattern host = Pattern.compile(Pattern.quote(Infra.HOSTS_DIR) + "/" + NAME);
            return output.lines().map(String::strip).filter(l -> target.matcher(l).matches() || host.matcher(l).matches())
                    .sorted().toList();
        }
    }

    /**
     * The files pig registered on an infra node that no instance of the inventory declares any
     * more (removed from it without {@code pig ... rm}), deleted by a deploy of the whole registry.
     */
    static final class Stale extends BaseTask {
        private final Infra infra;
        private final Files section;
        private final Set<String> wanted;

        Stale(Infra infra, Files section, Set<String> wanted) {
            super("registrations no longer declared", InfraModule.REGISTER_TAG);
            this.infra = infra;
            this.section = section;
            this.wanted = Set.copyOf(wanted);
        }

        @Override
        public void require(FactRequest.Builder facts) {
            facts.sections(section.name());
        }

        @Override
        public Change plan(HostFacts facts, PlanContext ctx) {
            List<String> stale = facts.extra(section).stream().filter(p -> !wanted.contains(p)).toList();
            if (stale.isEmpty()) {
                return noop("every file pig registered on " + infra.name() + " belongs to an instance of the inventory");
            }
            List<Step> steps = new ArrayList<>();
            stale.forEach(p -> {
                ctx.changed(p);
                steps.add(Step.Exec.of("rm -f -- " + q(p), ctx.masker()));
            });
            return act(Action.DELETE, "remove " + String.join(", ", stale) + " (no instance of the inventory declares it)", steps, "");
        }
    }
}
