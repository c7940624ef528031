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

    @Test
    void limits_by_cluster_and_modules_by_name() {
        Deployment d = Deployment.of(sandbox, Modules.all(), ctx, Selection.of("pg-test", null, Set.of("node")));
        assertEquals(List.of("10.10.10.11", "10.10.10.12", "10.10.10.13"), d.work().keySet().stream().map(SshTarget::host).toList());
        assertTrue(d.work().values().stream().flatMap(List::stream).noneMatch(t -> t.name().contains("etcd")));
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
