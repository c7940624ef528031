package dev.pig.modules.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.pig.core.exec.Planner;
import dev.pig.core.plan.Action;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.HostPlan;
import dev.pig.core.plan.Step;
import dev.pig.core.plan.Masker;

/**
 * NODE planned against recorded Debian 12 facts: a fresh host, the same host once converged
 * ({@code debian12-converged.out}, regenerated with {@code -Dpig.fixtures.update=true}), and a
 * container.
 */
class NodePlanningTest {
    private static final String HOST = "10.10.10.11";
    private static final String CONVERGED = "node/facts/debian12-converged.out";
    private final NodeFixtures f = new NodeFixtures();

    @BeforeAll
    static void regenerate_the_converged_fixture_when_asked() {
        if (NodeFixtures.update()) {
            NodeFixtures nf = new NodeFixtures();
            String fresh = NodeFixtures.read("node/facts/debian12-fresh.out");
            var tasks = nf.tasks(HOST);
            var request = Planner.request(tasks);
            NodeFixtures.write(CONVERGED, ConvergedFacts.of(fresh, request, nf.planText(HOST, fresh)));
        }
    }

    private static List<Change.Act> acts(HostPlan p) {
        return p.changes().stream().filter(c -> c instanceof Change.Act).map(c -> (Change.Act) c).toList();
    }

    private static Change change(HostPlan p, String task) {
        return p.changes().stream().filter(c -> c.task().equals(task)).findFirst()
                .orElseThrow(() -> new AssertionError("no task " + task + " in " + p.changes()));
    }

    @Test
    void a_fresh_debian_host_gets_packages_files_users_and_services() {
        HostPlan p = f.plan(HOST, "debian12-fresh.out");
        Map<String, Action> byTask = acts(p).stream().collect(Collectors.toMap(Change.Act::task, Change.Act::action, (a, b) -> a));
        assertEquals(Action.UPDATE, byTask.get("file /etc/hostname"));
        assertEquals(Action.RUN, byTask.get("command hostname pg-test-1"));
        assertEquals(Action.CREATE, byTask.get("packages node"));
        assertEquals(Action.CREATE, byTask.get("file /etc/hosts"));
        assertEquals(Action.CREATE, byTask.get("file /etc/apt/apt.conf.d/80pig-proxy"));
        assertEquals(Action.CREATE, byTask.get("file /etc/apt/sources.list.d/local.list"));
        assertEquals(Action.CREATE, byTask.get("file /etc/apt/sources.list.d/node.list"));
        assertEquals(Action.RUN, byTask.get("command move package sources to /etc/apt/backup"));
        assertEquals(Action.RUN, byTask.get("command refresh package lists"));
        assertEquals(Action.CREATE, byTask.get("file /etc/sysctl.d/60-pig-tune.conf"));
        assertEquals(Action.UPDATE, byTask.get("sysctl /etc/sysctl.d/60-pig-tune.conf"));
        assertEquals(Action.CREATE, byTask.get("file /etc/tmpfiles.d/pig-thp.conf"));
        assertEquals(Action.UPDATE, byTask.get("transparent huge pages"));
        assertEquals(Action.CREATE, byTask.get("ssh key pair /home/dba/.ssh/id_ed25519"));
        assertEquals(Action.CREATE, byTask.get("user dba"));
        assertEquals(Action.CREATE, byTask.get("group dba"));
        assertEquals(Action.CREATE, byTask.get("file /etc/sudoers.d/dba"));
        assertEquals(Action.CREATE, byTask.get("file /etc/chrony/chrony.conf"));
        assertEquals(Action.UPDATE, byTask.get("unit chrony.service"));
        assertEquals(Action.CREATE, byTask.get("file /etc/cron.d/pig"));
        assertEquals(Action.CREATE, byTask.get("directory /data"));
        assertEquals(Action.UPDATE, byTask.get("unit prometheus-node-exporter.service"));
        assertEquals(Action.UPDATE, byTask.get("unit haproxy.service"));

        Change.Act pkgs = (Change.Act) change(p, "packages node");
        // node_packages adds openssh-server, which the recorded host already has
        assertEquals("install chrony cron sudo curl lsof procps iproute2 ca-certificates python3 rsync acl tzdata gnupg openssh-client",
                pkgs.summary());
        // the packages come after the proxy and the sources, in a later stage
        for (String before : List.of("file /etc/apt/apt.conf.d/80pig-proxy", "file /etc/apt/sources.list.d/node.list",
                "command refresh package lists")) {
            assertTrue(p.stages().get(p.changes().indexOf(change(p, before))).compareTo(p.stages().get(p.changes().indexOf(pkgs))) < 0, before);
        }
    }

    @Test
    void a_converged_host_plans_no_change_at_all() {
        HostPlan p = f.plan(HOST, "debian12-converged.out");
        assertEquals(List.of(), acts(p).stream().map(Change.Act::summary).toList());
        assertEquals("the running kernel has all 29 settings of /etc/sysctl.d/60-pig-tune.conf",
                ((Change.NoOp) change(p, "sysctl /etc/sysctl.d/60-pig-tune.conf")).reason());
        assertEquals("the package lists were fetched after pig's sources last changed",
                ((Change.NoOp) change(p, "command refresh package lists")).reason());
    }

    @Test
    void a_changed_chrony_config_updates_the_file_and_restarts_chrony_and_nothing_else() {
        String converged = NodeFixtures.read(CONVERGED);
        String original = Base64.getEncoder().encodeToString(
                NodeFixtures.read("node/golden/10.10.10.11/etc_chrony_chrony.conf").getBytes(StandardCharsets.UTF_8));
        assertTrue(converged.contains(original), "the converged fixture holds the rendered chrony.conf");
        String edited = "pool edited.example.org iburst\n";
        String sha = Step.Hashes.sha256(edited.getBytes(StandardCharsets.UTF_8));
        String changed = converged.replaceAll("(?m)^/etc/chrony/chrony.conf\tfile\t644\troot\troot\t\\d+\t[0-9a-f]+\t$",
                        "/etc/chrony/chrony.conf\tfile\t644\troot\troot\t" + edited.length() + "\t" + sha + "\t")
                .replace(original, Base64.getEncoder().encodeToString(edited.getBytes(StandardCharsets.UTF_8)));

        List<Change.Act> acts = acts(f.planText(HOST, changed));

        assertEquals(List.of("file /etc/chrony/chrony.conf", "unit chrony.service"), acts.stream().map(Change.Act::task).toList());
        assertTrue(acts.get(0).diff().contains("-pool edited.example.org iburst"), acts.get(0).diff());
        assertEquals("unit chrony.service: restart (/etc/chrony/chrony.conf changed)", acts.get(1).summary());
    }

    @Test
    void in_a_container_the_tune_file_is_written_but_not_loaded_and_chrony_is_not_started() {
        HostPlan p = f.plan(HOST, "debian12-container.out");
        assertInstanceOf(Change.Act.class, change(p, "file /etc/sysctl.d/60-pig-tune.conf"));
        Change.NoOp sysctl = assertInstanceOf(Change.NoOp.class, change(p, "sysctl /etc/sysctl.d/60-pig-tune.conf"));
        // four of them the kernel has already (vm.nr_hugepages 0 ...)
        assertTrue(sysctl.reason().startsWith("the running kernel has 4 of the 29 settings of /etc/sysctl.d/60-pig-tune.conf; "
                + "read-only here (in a container, systemd-nspawn: kernel settings belong to the host), left as the kernel has them: "
                + "fs.file-max fs.aio-max-nr"), sysctl.reason());
        // the container's network namespace has no such key: captured on a sandbox node
        assertTrue(sysctl.reason().endsWith("; not in this kernel: net.core.netdev_max_backlog"), sysctl.reason());
        Change.NoOp thp = assertInstanceOf(Change.NoOp.class, change(p, "transparent huge pages"));
        assertTrue(thp.reason().contains("read-only here (in a container, systemd-nspawn"), thp.reason());
        assertInstanceOf(Change.NoOp.class, change(p, "file /etc/tmpfiles.d/pig-thp.conf"));
        Change.NoOp chrony = assertInstanceOf(Change.NoOp.class, change(p, "unit chrony.service"));
        assertTrue(chrony.reason().contains("CAP_SYS_TIME"), chrony.reason());
    }

    @Test
    void a_converged_container_also_plans_no_change() {
        String container = NodeFixtures.read(CONVERGED).replace("@@pig:section ext:node.virt\nnone\n",
                "@@pig:section ext:node.virt\nsystemd-nspawn\n");
        assertEquals(List.of(), acts(f.planText(HOST, container)).stream().map(Change.Act::summary).toList());
    }

    @Test
    void the_haproxy_config_holds_the_admin_password_so_no_diff_is_shown_and_a_reload_is_checked_first() {
        String converged = NodeFixtures.read(CONVERGED);
        String changed = converged.replaceAll("(?m)^(/etc/haproxy/haproxy.cfg\tfile\t640\troot\thaproxy\t\\d+\t)[0-9a-f]+\t$", "$1" + "0".repeat(64) + "\t");
        assertTrue(!changed.equals(converged), "the converged fixture has haproxy.cfg 0640 root:haproxy");
        List<Change.Act> acts = acts(f.planText(HOST, changed));
        assertEquals(List.of("file /etc/haproxy/haproxy.cfg", "unit haproxy.service"), acts.stream().map(Change.Act::task).toList());
        assertEquals("", acts.get(0).diff());
        assertEquals("unit haproxy.service: reload (/etc/haproxy/haproxy.cfg changed)", acts.get(1).summary());
        assertEquals(List.of("haproxy -c -q -f /etc/haproxy", "systemctl reload haproxy.service"),
                acts.get(1).steps().stream().map(Step::shown).toList());
    }

    @Test
    void the_sudoers_file_is_checked_with_visudo_before_it_takes_its_place() {
        Change.Act a = (Change.Act) change(f.plan(HOST, "debian12-fresh.out"), "file /etc/sudoers.d/dba");
        Step.Upload staged = assertInstanceOf(Step.Upload.class, a.steps().get(0));
        assertEquals("/etc/sudoers.d/.dba.pig-new", staged.path());
        assertTrue(a.steps().get(1).shown().startsWith("if visudo -cqf /etc/sudoers.d/.dba.pig-new; then mv -f"), a.steps().get(1).shown());
    }

    @Test
    void keys_already_authorized_are_kept_and_only_missing_ones_added() {
        String path = "/home/dba/.ssh/authorized_keys";
        String converged = NodeFixtures.read(CONVERGED);
        String hand = "ssh-rsa AAAAB3HandAddedKey admin@laptop\n";
        String content = hand + NodeFixtures.PIG_KEY + "\n";
        String changed = converged.replaceAll("(?m)^" + path + "\tfile\t600\tdba\tdba\t\\d+\t[0-9a-f]+\t\n@@content .*$",
                path + "\tfile\t600\tdba\tdba\t" + content.length() + "\t" + Step.Hashes.sha256(content.getBytes(StandardCharsets.UTF_8))
                        + "\t\n@@content " + Base64.getEncoder().encodeToString(content.getBytes(StandardCharsets.UTF_8)));
        Change.Act a = (Change.Act) change(f.planText(HOST, changed), "file " + path);
        Step.Upload u = (Step.Upload) a.steps().get(0);
        String own = NodeFixtures.read("node/golden/10.10.10.11/home_dba_.ssh_id_ed25519.pub").strip().split(" ")[1];
        assertEquals(content + "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFixtureListKeyForTests0000000000000000 ops@example\n"
                        + "ssh-ed25519 " + own + " dba@10.10.10.11 (pig ssh exchange)\n",
                new String(u.content(), StandardCharsets.UTF_8));
    }

    @Test
    void removal_stops_the_services_and_removes_only_what_pig_wrote() {
        var tasks = f.removal(HOST);
        String output = NodeFixtures.read(CONVERGED).replace("@@pig:section ext:node.haproxy-configs\n",
                "@@pig:section ext:node.haproxy-configs\n/etc/haproxy/haproxy.cfg\n/etc/haproxy/pg-test-primary.cfg\n");
        HostPlan p = Planner.planFromFacts(f.facts(HOST, tasks, output), tasks, Masker.none());
        assertEquals(List.of("unit prometheus-node-exporter.service: disable, stop", "unit haproxy.service: disable, stop",
                        "remove /etc/haproxy/haproxy.cfg, /etc/haproxy/pg-test-primary.cfg", "remove /etc/cron.d/pig"),
                acts(p).stream().map(Change.Act::summary).toList());
        assertEquals(Action.DELETE, acts(p).get(3).action());
    }

    @Test
    void every_host_of_the_sandbox_example_plans_on_a_fresh_host_with_the_defaults() {
        var model = dev.pig.core.model.ModelLoader.load(NodeFixtures.path("../inventory-examples/sandbox.yml"), List.of()).model();
        var ctx = new dev.pig.modules.ModuleContext(model, dev.pig.core.template.Templates.builtIn());
        var module = new NodeModule(n -> List.of());
        for (var node : model.nodes()) {
            List<dev.pig.core.task.Task> tasks = new java.util.ArrayList<>(module.tasks(ctx, node));
            var facts = new dev.pig.core.fact.FactGatherer(module.factSections(ctx))
                    .parse(node.id(), Planner.request(tasks), NodeFixtures.read("node/facts/debian12-fresh.out"));
            HostPlan p = Planner.planFromFacts(facts, tasks, Masker.none());
            assertEquals(Action.RUN, ((Change.Act) change(p, "command hostname " + node.nodename())).action());
            Change.Act proxy = (Change.Act) change(p, "file /etc/apt/apt.conf.d/80pig-proxy");
            assertTrue(proxy.diff().contains("+Acquire::http::Proxy \"http://10.10.10.1:8888\";"), proxy.diff());
            // the default node_repo_modules 'local' names the infra node's repo, which pig does not build:
            // the sandbox's own sources stay, and with them the packages the proxy reaches
            Change.NoOp local = (Change.NoOp) change(p, "file /etc/apt/sources.list.d/local.list");
            assertTrue(local.reason().contains("module local is the infra node's repo, which pig does not build and the inventory "
                    + "does not name"), local.reason());
            assertTrue(((Change.NoOp) change(p, "package sources")).reason().contains("the host's own are kept"));
            assertInstanceOf(Change.NoOp.class, change(p, "command refresh package lists"));
        }
    }
}
