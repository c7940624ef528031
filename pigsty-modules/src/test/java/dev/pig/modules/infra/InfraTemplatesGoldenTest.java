package dev.pig.modules.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import dev.pig.modules.Deployment;
import dev.pig.modules.Golden;

/**
 * Every file INFRA writes on the infra nodes of {@code src-test-fixtures/infra/inventory.yml}
 * (its own configuration and every registration), compared byte for byte with
 * {@code src-test-fixtures/infra/golden/<host>/<path>}; pig's rules and dashboards are files of
 * their own and are checked by {@link InfraFilesTest}. Run with {@code -Dpig.fixtures.update=true}
 * to rewrite them after an intended change, then review the diff.
 */
class InfraTemplatesGoldenTest {
    static final String[] HOSTS = {"10.10.10.10", "10.10.10.20"};

    /** What a fresh infra node receives in a deploy of INFRA, by golden name. */
    static Map<String, String> rendered(String host) {
        InfraFixtures f = InfraFixtures.own();
        Deployment d = f.deployment(host, Set.of("infra"), false);
        Map<String, String> out = new TreeMap<>();
        InfraFixtures.uploads(InfraFixtures.plan(d, host, "")).forEach((path, content) -> {
            if (!path.startsWith("/data/infra/rules/") && !path.startsWith("/data/infra/dashboards/")) {
                out.put(host + "/" + path.substring(1).replace('/', '_'), content);
            }
        });
        return out;
    }

    @TestFactory
    Stream<DynamicTest> each_rendered_file_matches_its_golden_copy() {
        return Stream.of(HOSTS).flatMap(h -> rendered(h).entrySet().stream())
                .map(e -> DynamicTest.dynamicTest(e.getKey(), () -> Golden.check("infra/golden/" + e.getKey(), e.getValue())));
    }

    @Test
    void every_template_of_the_module_is_rendered() throws Exception {
        String all = String.join("\n", rendered(HOSTS[0]).keySet()) + "\n" + String.join("\n", rendered(HOSTS[1]).keySet());
        for (String expected : new String[] {"etc_dnsmasq.d_pig.conf", "etc_hosts.d_default", "etc_default_victoria-metrics",
                "etc_systemd_system_victoria-metrics.service.d_pig.conf", "data_infra_prometheus.yml", "etc_default_vmalert",
                "etc_systemd_system_vmalert.service", "etc_default_prometheus-alertmanager", "data_infra_conf_alertmanager.yml",
                "data_infra_conf_blackbox.yml", "etc_default_prometheus-blackbox-exporter",
                "etc_systemd_system_prometheus-blackbox-exporter.service.d_pig.conf", "data_nginx_index.html",
                "etc_nginx_conf.d_pig-portal.conf", "etc_default_prometheus-nginx-exporter", "data_infra_targets_pgsql_pg-test-1.yml",
                "data_infra_targets_ping_pg-test-vip.yml", "etc_hosts.d_pg-test"}) {
            assertTrue(all.contains("/" + expected), "no rendered " + expected + " in " + all);
        }
        try (Stream<java.nio.file.Path> templates = Files.list(Golden.root().resolve("templates/infra"))) {
            // the .ftl templates; Grafana's three are rendered only where Grafana can be installed (InfraPlanningTest),
            // the three of pig pgsql monitor by its operation (RemoteMonitorTest)
            assertEquals(21, templates.filter(p -> p.toString().endsWith(".ftl")).count(), "a new template needs a golden copy above");
        }
    }

    @Test
    void rendering_twice_gives_the_same_bytes() {
        for (String h : HOSTS) {
            assertEquals(rendered(h), rendered(h));
        }
    }
}
