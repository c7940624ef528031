package dev.pig.modules.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import dev.pig.modules.Fixtures;
import dev.pig.modules.Golden;
import dev.pig.modules.PlanningFixture;
import dev.pig.modules.RecordedFacts;

/**
 * Every file NODE renders for the fixture inventory's hosts, compared byte for byte with
 * {@code src-test-fixtures/node/golden/<host>/<path>} (slashes of the path as underscores). Run
 * with {@code -Dpig.fixtures.update=true} to rewrite them after an intended change, then review
 * the diff.
 */
class NodeTemplatesGoldenTest {

    /**
     * What a fresh host receives: every uploaded file by the golden name of its path, but the
     * admin user's private key (made from test randomness; {@code SshKeysTest} checks its form).
     */
    private static Map<String, String> rendered(String host) {
        Map<String, String> out = new TreeMap<>();
        PlanningFixture.uploads(NodeFixtures.on(host, RecordedFacts.freshDebian12()).plan(host)).forEach((path, content) -> {
            if (!path.equals(AdminKeys.privatePath("dba"))) {
                out.put(host + "/" + path.substring(1).replace('/', '_'), content);
            }
        });
        return out;
    }

    @TestFactory
    Stream<DynamicTest> each_rendered_file_matches_its_golden_copy() {
        return NodeFixtures.HOSTS.stream().flatMap(h -> rendered(h).entrySet().stream())
                .map(e -> DynamicTest.dynamicTest(e.getKey(), () -> Golden.check("node/golden/" + e.getKey(), e.getValue())));
    }

    @Test
    void every_template_of_the_module_is_covered_by_a_golden_copy() throws Exception {
        String all = String.join("\n", NodeFixtures.HOSTS.stream().flatMap(h -> rendered(h).keySet().stream()).toList());
        for (String expected : new String[] {"etc_hostname", "etc_hosts", "etc_apt_apt.conf.d_80pig-proxy", "etc_sysctl.d_60-pig-tune.conf",
                "etc_security_limits.d_pig.conf", "etc_sudoers.d_dba", "home_dba_.ssh_authorized_keys", "etc_timezone",
                "etc_chrony_chrony.conf", "etc_cron.d_pig", "etc_default_prometheus-node-exporter", "etc_haproxy_haproxy.cfg",
                "etc_default_haproxy", "etc_apt_sources.list.d_node.list", "etc_apt_sources.list.d_local.list",
                "etc_tmpfiles.d_pig-thp.conf", "home_dba_.ssh_id_ed25519.pub", "etc_resolv.conf",
                "etc_keepalived_keepalived.conf", "etc_keepalived_conf.d_node-vip.conf"}) {
            assertTrue(all.contains("/" + expected), "no rendered " + expected + " in " + all);
        }
        try (Stream<java.nio.file.Path> templates = Files.list(Fixtures.root().resolve("templates/node"))) {
            assertEquals(18, templates.count(), "a new template needs a golden copy above");
        }
    }

    @Test
    void rendering_twice_gives_the_same_bytes() {
        for (String h : NodeFixtures.HOSTS) {
            assertEquals(rendered(h), rendered(h));
        }
    }
}
