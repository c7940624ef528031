package dev.pig.modules.node;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.FactSection;
import dev.pig.core.fact.FileState;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.fact.OsInfo;
import dev.pig.core.model.RepoUpstream;
import dev.pig.core.plan.Action;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.Step;
import dev.pig.core.ssh.Shell;
import dev.pig.core.task.PackagesTask;
import dev.pig.core.task.PlanContext;
import dev.pig.core.task.Task;
import dev.pig.modules.HostVars;

/**
 * Package sources ({@code node_repo}): one file per module of {@code node_repo_modules}, made of
 * the {@code repo_upstream} entries of that module (pig's own table of the distributions'
 * archives when the inventory has none) that match the host's release and architecture.
 *
 * <pre>
 * node_repo_modules: node        # Debian's archive: /etc/apt/sources.list.d/node.list
 * node_repo_remove: true         # the host's other sources go to /etc/apt/backup
 * </pre>
 *
 * Module {@code local} is the infra node's repo; pig does not build one, so it is written only
 * when the inventory names it in {@code repo_upstream}. A module nothing provides writes no file,
 * and when pig writes no source at all the host's own sources are kept, whatever
 * {@code node_repo_remove} says: a host without any source could install nothing.
 */
final class PackageSources {
    /** Holds the hash of the sources whose lists were last fetched; written only when the fetch succeeded. */
    static final String STAMP = "/var/lib/pig/node-repo.sha256";

    private final HostVars v;
    private final List<String> modules;
    private final boolean inventoryUpstream;
    private final List<RepoUpstream> upstream;

    PackageSources(HostVars v) {
        this.v = v;
        this.modules = RepoUpstream.modules(v.raw("node_repo_modules"));
        this.inventoryUpstream = v.raw("repo_upstream") != null;
        this.upstream = RepoUpstream.of(v.raw("repo_upstream"));
    }

    List<String> modules() {
        return modules;
    }

    /** One rendered source: the entries of a module for this host, or why there are none. */
    record Module(String name, String path, List<Map<String, Object>> repos, String none) {
    }

    /** What each module of {@code node_repo_modules} gives this host. */
    List<Module> resolve(NodeOs os, OsInfo info) {
        List<RepoUpstream> table = inventoryUpstream ? upstream : os.repo().builtIn();
        String region = v.str("region").isEmpty() ? "default" : v.str("region");
        List<Module> out = new ArrayList<>();
        for (String m : modules) {
            List<Map<String, Object>> repos = new ArrayList<>();
            for (RepoUpstream u : table) {
                if (u.module().equals(m) && u.matches(info.majorVersion(), info.arch())) {
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("name", u.name());
                    r.put("description", u.description());
                    r.put("url", url(u.url(region), info));
                    // Pigsty's local repo is unsigned; every other source is checked against the host's keyrings
                    r.put("trusted", m.equals("local"));
                    repos.add(r);
                }
            }
            out.add(new Module(m, os.repo().file(m), repos, repos.isEmpty() ? noneReason(m, info) : ""));
        }
        return out;
    }

    private String noneReason(String m, OsInfo info) {
        String os = info.id() + " " + info.majorVersion() + " " + info.arch();
        if (inventoryUpstream) {
            return "no repo_upstream entry of module " + m + " is for " + os;
        }
        if (m.equals("local")) {
            return "module local is the infra node's repo, which pig does not build and the inventory does not name "
                    + "(no repo_upstream entry of module local)";
        }
        if (RepoUpstream.BUILT_IN_MODULES.contains(m)) {
            return "pig has no archive of module " + m + " for " + os;
        }
        return "pig has no package source of module " + m + " of its own, and the inventory has no repo_upstream";
    }

    private String url(String raw, OsInfo info) {
        return raw.replace("${admin_ip}", v.str("admin_ip"))
                .replace("${distro_codename}", info.codename())
                .replace("${distro_name}", info.id())
                .strip().replaceAll("\\s+", " ");
    }

    /** The files pig writes, path to content, in module order. */
    static Map<String, byte[]> written(List<Module> resolved, java.util.function.Function<Module, byte[]> render) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (Module m : resolved) {
            if (!m.repos().isEmpty()) {
                out.put(m.path(), render.apply(m));
            }
        }
        return out;
    }

    /** The source files of the host, any family's: {@code /etc/apt/sources.list}, {@code /etc/apt/sources.list.d/*}. */
    static final class Files implements FactSection<List<String>> {
        static final String NAME = "node.repo-files";
        static final Files SECTION = new Files();

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public String script() {
            return "for f in /etc/apt/sources.list /etc/apt/sources.list.d/* /etc/yum.repos.d/*.repo; do "
                    + "[ -f \"$f\" ] && printf '%s\\n' \"$f\"; done; true\n";
        }

        @Override
        public List<String> parse(String output) {
            return output.lines().map(String::strip).filter(l -> l.startsWith("/")).sorted().toList();
        }
    }

    /** {@code node_repo_remove}: every source file but pig's goes to the backup directory, where an older copy is kept numbered. */
    static final class Remove implements Task {
        private final NodeOs.Repo repo;
        private final List<String> ours;
        private final String tag;

        Remove(NodeOs.Repo repo, List<String> ours, String tag) {
            this.repo = repo;
            this.ours = List.copyOf(ours);
            this.tag = tag;
        }

        @Override
        public String name() {
            return "command move package sources to " + repo.backupDir();
        }

        @Override
        public String tag() {
            return tag;
        }

        @Override
        public void require(FactRequest.Builder facts) {
            facts.sections(Files.NAME);
        }

        @Override
        public Change plan(HostFacts facts, PlanContext ctx) {
            List<String> others = facts.extra(Files.SECTION).stream().filter(repo::holds).filter(p -> !ours.contains(p)).toList();
            if (others.isEmpty()) {
                return new Change.NoOp(name(), tag, "the host has no package sources but pig's");
            }
            others.forEach(ctx::changed);
            String files = String.join(" ", others.stream().map(Shell::quote).toList());
            String backup = Shell.quote(repo.backupDir());
            return new Change.Act(name(), tag, Action.RUN, "move " + String.join(", ", others) + " to " + repo.backupDir()
                    + " (node_repo_remove)",
                    List.of(Step.Exec.of("mkdir -p " + backup + " && mv -f --backup=numbered -- " + files + " " + backup + "/", ctx.masker())), "");
        }
    }

    /**
     * Fetches the package lists when pig's sources changed since the last successful fetch: a
     * stamp holds their hash and is written only after {@code apt-get update} succeeded, so a
     * fetch that failed (an unreachable proxy) is tried again by the next run.
     */
    static final class Refresh implements Task {
        private final List<String> sources;
        private final String hash;
        private final String tag;

        Refresh(Map<String, byte[]> written, String tag) {
            this.sources = List.copyOf(written.keySet());
            StringBuilder all = new StringBuilder();
            written.forEach((p, c) -> all.append(p).append('\n').append(Step.Hashes.sha256(c)).append('\n'));
            this.hash = Step.Hashes.sha256(all.toString().getBytes(StandardCharsets.UTF_8));
            this.tag = tag;
        }

        @Override
        public String name() {
            return "command refresh package lists";
        }

        @Override
        public String tag() {
            return tag;
        }

        @Override
        public void require(FactRequest.Builder facts) {
            facts.fileWithContent(STAMP).sections(Files.NAME);
        }

        @Override
        public Change plan(HostFacts facts, PlanContext ctx) {
            FileState s = facts.file(STAMP);
            String stamp = s.exists() && s.content() != null ? new String(s.content(), StandardCharsets.UTF_8).strip() : "";
            // pig's files, and any other source node_repo_remove moves aside in this plan
            List<String> candidates = new ArrayList<>(sources);
            candidates.addAll(facts.extra(Files.SECTION));
            String changed = ctx.firstChanged(candidates);
            if (changed == null && stamp.equals(hash)) {
                return new Change.NoOp(name(), tag, "the package lists were fetched after pig's sources last changed");
            }
            String why = changed != null ? changed + " changes" : "the lists of pig's sources were not fetched yet";
            String cmd = PackagesTask.updateCommand(facts.os(), facts.host()) + " && mkdir -p /var/lib/pig && printf '%s\\n' "
                    + Shell.quote(hash) + " > " + STAMP;
            return new Change.Act(name(), tag, Action.RUN, "refresh package lists (" + why + ")", List.of(Step.Exec.of(cmd, ctx.masker())), "");
        }
    }
}
