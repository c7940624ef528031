package dev.pig.modules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.pig.core.diag.PigException;
import dev.pig.core.model.ClusterModel;
import dev.pig.core.model.ModelLoader;
import dev.pig.core.ssh.SshTarget;
import dev.pig.core.template.Templates;

class DeploymentTest {
    private final ClusterModel sandbox = ModelLoader.load(Golden.root().resolve("inventory-examples/sandbox.yml"), List.of()).model();
    private final ModuleContext ctx = new ModuleContext(sandbox, Templates.builtIn());

    @Test
    void masks_every_secret_but_passwords_that_are_also_names() {
        Set<String> secrets = Deployment.secrets(sandbox);
        assertTrue(secrets.contains("DBUser.Meta"));
        assertTrue(secrets.contains("Etcd.Root"));
        assertFalse(secrets.contains("test"), "user test's password is also its name and part of pg-test");
    }

    @Test
    void reaches_hosts_as_the_inventory_says() {
        SshTarget t = Deployment.target(sandbox.node("10.10.10.11").orElseThrow());
        assertEquals("10.10.10.11", t.host());
        assertEquals(22, t.port());
        assertEquals("root", t.user());
        assertTrue(t.privateKeys().get(0).toString().endsWith(".pig/sandbox/id_ed25519"));
        assertFalse(t.privateKeys().get(0).toString().startsWith("~"));
    }

    private static ClusterModel connections() {
        return ModelLoader.load(Golden.root().resolve("src-test-fixtures/inventory/valid/connections.yml"), List.of()).model();
    }

    private static SshTarget targetOf(ClusterModel m, String host) {
        return Deployment.target(m.node(host).orElseThrow(), m.varsOf(m.node(host).orElseThrow().id()));
    }

    @Test
    void ansible_connection_local_runs_on_this_machine_as_the_user_running_pig() {
        ClusterModel m = connections();
        SshTarget t = targetOf(m, "10.10.10.21");
        assertTrue(t.local());
        assertEquals(System.getProperty("user.name"), t.user());
        assertTrue(targetOf(m, "127.0.0.1").local(), "a loopback address is local when no connection is set");
        assertFalse(targetOf(m, "localhost").local(), "ansible_connection: ssh on a loopback address goes over SSH");
        assertFalse(targetOf(m, "10.10.10.22").local());
    }

    @Test
    void ansible_become_false_runs_commands_as_the_login_user() {
        ClusterModel m = connections();
        SshTarget plain = targetOf(m, "10.10.10.22");
        assertEquals("dba", plain.user());
        assertFalse(plain.become());
        assertFalse(plain.needsSudo());
        SshTarget sudo = targetOf(m, "10.10.10.23");
        assertEquals("dba", sudo.user());
        assertTrue(sudo.needsSudo(), "become is Ansible's default for pig's tasks");
        Deployment d = Deployment.of(m, Modules.all(), new ModuleContext(m, Templates.builtIn()), Selection.all());
        assertFalse(d.targets().get("10.10.10.22").become());
        assertTrue(d.targets().get("10.10.10.21").local());
    }

    @Test
    void every_task_carries_a_tag_its_module_lists_for_minus_t() {
        for (PigModule m : Modules.all()) {
            for (var n : m.hosts(sandbox)) {
                for (var st : m.tasks(ctx, n)) {
                    assertTrue(m.tags().contains(st.task().tag()), m.name() + " task " + st.task().name() + " has tag "
                            + st.task().tag() + ", not among " + m.tags());
                }
                for (var st : m.removal(ctx, n)) {
                    assertTrue(m.tags().contains(st.task().tag()), m.name() + " removal " + st.task().name() + ": " + st.task().tag());
                }
            }
        }
    }

    @Test
    void limits_by_cluster_and_modules_by_name() {
        Deployment d = Deployment.of(sandbox, Modules.all(), ctx, Selection.of("pg-test", null, Set.of("node")));
        // the infra node outside the limit registers the nodes deployed, and does nothing else
        assertEquals(List.of("10.10.10.10", "10.10.10.11", "10.10.10.12", "10.10.10.13"),
                d.work().keySet().stream().map(SshTarget::host).toList());
        assertTrue(d.work().values().stream().flatMap(List::stream).noneMatch(t -> t.name().contains("etcd")));
        assertTrue(d.work().entrySet().stream().filter(e -> e.getKey().host().equals("10.10.10.10")).flatMap(e -> e.getValue().stream())
                .allMatch(t -> t.tag().equals("node_register")), "only registrations on the infra node");
    }

    @Test
    void tags_select_tasks_and_module_names_select_modules() {
        Deployment d = Deployment.of(sandbox, Modules.all(), ctx, Selection.of(null, "etcd_config", Set.of()));
        assertEquals(List.of("10.10.10.10"), d.work().keySet().stream().map(SshTarget::host).toList());
        assertTrue(d.work().values().stream().flatMap(List::stream).allMatch(t -> t.tag().equals("etcd_config")));
    }

    @Test
    void a_limit_that_matches_nothing_is_a_usage_error() {
        PigException e = org.junit.jupiter.api.Assertions.assertThrows(PigException.class,
                () -> Deployment.of(sandbox, Modules.all(), ctx, Selection.of("pg-nope", null, Set.of())));
        assertEquals(PigException.Kind.USAGE, e.kind());
    }
}
