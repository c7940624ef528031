package dev.pig.modules.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import dev.pig.core.plan.Change;
import dev.pig.core.plan.HostPlan;
import dev.pig.core.plan.Step;

/**
 * Every file NODE renders for the fixture inventory's hosts, compared byte for byte with
 * {@code src-test-fixtures/node/golden/<host>/<path>} (slashes of the path as underscores). Run
 * with {@code -Dpig.fixtures.update=true} to rewrite them after an intended change, then review
 * the diff.
 */
class NodeTemplatesGoldenTest {
    private final NodeFixtures f = new NodeFixtures();

    /**
     * What a fresh host receives: every uploaded file by the golden name of its path, but the
     * admin user's private key (made from test randomness; {@code SshKeysTest} checks its form).
     */
    private Map<String, String> rendered(String host) {
        HostPlan plan = f.plan(host, "debian12-fresh.out");
        Map<String, String> out = new TreeMap<>();
        for (Change c : plan.changes()) {
            if (c instanceof Change.Act a) {
                for (Step s : a.steps()) {
                    if (s instanceof Step.Upload u && !u.path().equals(AdminKeys.privatePath("dba"))) {
                        out.put(host + "/" + u.path().replaceAll("/\\.([^/]+)\\.pig-new$", "/$1").substring(1).replace('/', '_'), new String(u.content(), StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> each_rendered_file_matches_its_golden_copy() {
        return NodeFixtures.HOSTS.stream().flatMap(h -> rendered(h).entrySet().stream())
                .map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
                    String golden = "node/golden/" + e.getKey();
                    if (NodeFixtures.update()) {
                        NodeFixtures.write(golden, e.getValue());
                    }
                    assertTrue(Files.exists(NodeFixtures.path(golden)), "no golden copy " + golden + ": run with -Dpig.fixtures.update=true");
                    assertEquals(NodeFixtures.read(golden), e.getValue(), golden);
                }));
    }

    @Test
    void every_template_of_the_module_is_covered_by_a_golden_copy() throws Exception {
        String all = String.join("\n", NodeFixtures.HOSTS.stream().flatMap(h -> rendered(h).keySet().stream()).toList());
        for (String expected : new String[] {"etc_hostname", "etc_hosts", "etc_apt_apt.conf.d_80pig-proxy", "etc_sysctl.d_60-pig-tune.conf",
                "etc_security_limits.d_pig.conf", "etc_sudoers.d_dba", "home_dba_.ssh_authorized_keys", "etc_timezone",
                "etc_chrony_chrony.conf", "etc_cron.d_pig", "etc_default_prometheus-node-exporter", "etc_haproxy_haproxy.cfg",
                "etc_default_haproxy", "etc_apt_sources.list.d_node.list", "etc_apt_sources.list.d_local.list",
                "etc_tmpfiles.d_pig-thp.conf", "home_dba_.ssh_id_ed25519.pub", "etc_resolv.conf"}) {
            assertTrue(all.contains("/" + expected), "no rendered " + expected + " in " + all);
        }
        try (Stream<java.nio.file.Path> templates = Files.list(NodeFixtures.path("../templates/node"))) {
            assertEquals(16, templates.count(), "a new template needs a golden copy above");
        }
    }

    @Test
    void rendering_twice_gives_the_same_bytes() {
        for (String h : NodeFixtures.HOSTS) {
            assertEquals(rendered(h), new NodeTemplatesGoldenTest().rendered(h));
        }
    }
}
