package dev.pig.modules.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.pig.core.exec.Planner;
import dev.pig.core.fact.FactGatherer;
import dev.pig.core.model.ModelLoader;
import dev.pig.core.model.RepoUpstream;
import dev.pig.core.plan.Action;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.HostPlan;
import dev.pig.core.plan.Masker;
import dev.pig.core.plan.Step;
import dev.pig.core.template.Templates;
import dev.pig.modules.ModuleContext;

/**
 * {@code node_repo}: sources from {@code node_repo_modules} and {@code repo_upstream} (10.10.10.11:
 * the infra repo and a mirror, others' sources moved aside) or pig's table of Debian's archive
 * (10.10.10.12, beside the host's own sources), and the lists fetched once per change of them.
 */
class PackageSourcesPlanningTest {
    static final String FRESH = NodeFixtures.read("node/facts/debian12-fresh.out");
    static final String CONVERGED = NodeFixtures.read("node/facts/debian12-converged.out");
    private final NodeFixtures f = new NodeFixtures();

    private static Change change(HostPlan p, String task) {
        return p.changes().stream().filter(c -> c.task().equals(task)).findFirst()
                .orElseThrow(() -> new AssertionError("no task " + task + " in " + p.changes()));
    }

    private static String content(Change c) {
        return ((Change.Act) c).steps().stream().filter(s -> s instanceof Step.Upload).map(s -> new String(((Step.Upload) s).content(),
                StandardCharsets.UTF_8)).findFirst().orElseThrow();
    }

    /** The fresh host as another release or architecture. */
    private static String os(String id, String version, String codename, String arch) {
        return FRESH.replace("ID=debian", "ID=" + id).replace("VERSION_ID=\"12\"", "VERSION_ID=\"" + version + "\"")
                .replace("VERSION_CODENAME=bookworm", "VERSION_CODENAME=" + codename).replace("PIG_ARCH=x86_64", "PIG_ARCH=" + arch);
    }

    @Test
    void the_distributions_archive_is_written_from_pigs_table_beside_the_hosts_own_sources() {
        HostPlan p = f.planText("10.10.10.12", FRESH);
        assertEquals("""
                # package sources of module node: managed by pig (node_repo)
                # base: Debian Basic
                deb http://deb.debian.org/debian/ bookworm main
                # updates: Debian Updates
                deb http://deb.debian.org/debian/ bookworm-updates main
                # security: Debian Security
                deb http://security.debian.org/debian-security bookworm-security main
                """, content(change(p, "file /etc/apt/sources.list.d/node.list")));
        assertEquals("node_repo_remove is false: the host's other package sources stay beside pig's",
                ((Change.NoOp) change(p, "package sources")).reason());
        Change.Act refresh = (Change.Act) change(p, "command refresh package lists");
        assertEquals("refresh package lists (/etc/apt/sources.list.d/node.list changes)", refresh.summary());
        String cmd = ((Step.Exec) refresh.steps().get(0)).command();
        assertTrue(cmd.contains("apt-get update -q -o APT::Update::Error-Mode=any") && cmd.endsWith(" > /var/lib/pig/node-repo.sha256"), cmd);
    }

    @Test
    void the_named_local_repo_and_a_mirror_replace_the_hosts_sources_which_are_kept_in_a_backup() {
        HostPlan p = f.planText("10.10.10.11", FRESH);
        assertEquals("""
                # package sources of module local: managed by pig (node_repo)
                # pigsty-local: Pigsty Local
                deb [trusted=yes] http://10.10.10.10/pigsty ./
                """, content(change(p, "file /etc/apt/sources.list.d/local.list")));
        // the entries for Debian 11 and for aarch64 are left out; the region is the default
        assertEquals("""
                # package sources of module node: managed by pig (node_repo)
                # base: Debian Mirror
                deb http://mirror.internal/debian/ bookworm main
                # security: Debian Security Mirror
                deb http://mirror.internal/debian-security bookworm-security main
                """, content(change(p, "file /etc/apt/sources.list.d/node.list")));
        Change.Act move = (Change.Act) change(p, "command move package sources to /etc/apt/backup");
        assertEquals("mkdir -p /etc/apt/backup && mv -f --backup=numbered -- /etc/apt/sources.list.d/debian.sources /etc/apt/backup/",
                move.steps().get(0).shown());
        assertEquals("move /etc/apt/sources.list.d/debian.sources to /etc/apt/backup (node_repo_remove)", move.summary());
    }

    @Test
    void only_other_sources_are_moved_aside_never_pigs_own() {
        String out = CONVERGED.replace("@@pig:section ext:node.repo-files\n",
                "@@pig:section ext:node.repo-files\n/etc/apt/sources.list\n/etc/apt/sources.list.d/pgdg.list\n");
        HostPlan p = f.planText("10.10.10.11", out);
        assertEquals("mkdir -p /etc/apt/backup && mv -f --backup=numbered -- /etc/apt/sources.list /etc/apt/sources.list.d/pgdg.list /etc/apt/backup/",
                ((Change.Act) change(p, "command move package sources to /etc/apt/backup")).steps().get(0).shown());
        assertEquals("refresh package lists (/etc/apt/sources.list changes)", ((Change.Act) change(p, "command refresh package lists")).summary());
        assertEquals(2, p.actions().size(), p.actions().toString());
    }

    @Test
    void a_hand_edited_source_is_restored_and_the_lists_fetched_again() {
        String path = "/etc/apt/sources.list.d/node.list";
        String edited = "deb http://elsewhere.example/debian bookworm main\n";
        String out = CONVERGED.replaceAll("(?m)^" + path + "\\tfile\\t644\\troot\\troot\\t\\d+\\t[0-9a-f]+\\t\\n@@content .*$",
                path + "\tfile\t644\troot\troot\t" + edited.length() + "\t" + Step.Hashes.sha256(edited.getBytes(StandardCharsets.UTF_8))
                        + "\t\n@@content " + Base64.getEncoder().encodeToString(edited.getBytes(StandardCharsets.UTF_8)));
        assertTrue(!out.equals(CONVERGED));
        HostPlan p = f.planText("10.10.10.11", out);
        assertEquals(List.of("file " + path, "command refresh package lists"), p.actions().stream().map(Change.Act::task).toList());
        assertTrue(p.actions().get(0).diff().contains("-deb http://elsewhere.example/debian bookworm main"), p.actions().get(0).diff());
    }

    @Test
    void lists_whose_fetch_failed_last_time_are_fetched_again_though_the_sources_are_in_place() {
        // the stamp is written only after apt-get update succeeded
        String out = CONVERGED.replaceAll("(?m)^/var/lib/pig/node-repo.sha256\\t.*\\n@@content .*$", "/var/lib/pig/node-repo.sha256\tmissing\t\t\t\t0\t\t");
        assertTrue(!out.equals(CONVERGED));
        HostPlan p = f.planText("10.10.10.11", out);
        assertEquals(List.of("refresh package lists (the lists of pig's sources were not fetched yet)"),
                p.actions().stream().map(Change.Act::summary).toList());
    }

    @Test
    void entries_follow_the_hosts_release() {
        HostPlan p = f.planText("10.10.10.11", os("debian", "11", "bullseye", "x86_64"));
        assertEquals("""
                # package sources of module node: managed by pig (node_repo)
                # base: Debian Mirror
                deb http://mirror.internal/debian/ bullseye main
                # bullseye-only
                deb http://mirror.internal/old bullseye main
                """, content(change(p, "file /etc/apt/sources.list.d/node.list")));
    }

    @Test
    void an_ubuntu_arm_host_gets_ubuntus_ports_archive_from_pigs_table() {
        String list = content(change(f.planText("10.10.10.12", os("ubuntu", "24.04", "noble", "aarch64")), "file /etc/apt/sources.list.d/node.list"));
        assertTrue(list.contains("deb http://ports.ubuntu.com/ubuntu-ports/ noble-security main restricted universe multiverse\n"), list);
        assertTrue(!list.contains("debian") && !list.contains("edge.kernel.org"), list);
    }

    @Test
    void a_release_nothing_provides_writes_no_file_and_keeps_the_hosts_sources() {
        HostPlan p = f.planText("10.10.10.12", os("debian", "9", "stretch", "x86_64"));
        assertEquals("pig has no archive of module node for debian 9 x86_64: "
                + "pig writes no package sources of module node", ((Change.NoOp) change(p, "file /etc/apt/sources.list.d/node.list")).reason());
        assertTrue(((Change.NoOp) change(p, "package sources")).reason().contains("so the host's own are kept"));
    }

    @Test
    void the_region_picks_its_mirror() {
        var model = ModelLoader.load(NodeFixtures.path("node/inventory.yml"), List.of("region=china")).model();
        var ctx = new ModuleContext(model, Templates.builtIn());
        List<dev.pig.core.task.Task> tasks = List.copyOf(f.module.tasks(ctx, model.node("10.10.10.11").orElseThrow()));
        HostPlan p = Planner.planFromFacts(new FactGatherer(f.module.factSections(ctx)).parse("10.10.10.11", Planner.request(tasks), FRESH),
                tasks, Masker.none());
        String list = content(change(p, "file /etc/apt/sources.list.d/node.list"));
        assertTrue(list.contains("deb https://mirrors.aliyun.com/debian/ bookworm main\n"), list);
        // an entry without a mirror for the region keeps its default
        assertTrue(list.contains("deb http://mirror.internal/debian-security bookworm-security main\n"), list);
        assertEquals(Action.CREATE, ((Change.Act) change(p, "file /etc/apt/sources.list.d/local.list")).action());
    }

    @Test
    void pigs_own_tables_cover_exactly_the_modules_validation_knows() {
        for (NodeOs os : NodeOs.known()) {
            assertEquals(RepoUpstream.BUILT_IN_MODULES, os.repo().builtIn().stream().map(RepoUpstream::module)
                    .collect(java.util.stream.Collectors.toSet()), os.family());
        }
    }
}
