package dev.pig.modules.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.pig.core.fact.FactGatherer;
import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.FactSection;
import dev.pig.core.fact.Gathered;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.model.Node;
import dev.pig.core.model.PgCluster;
import dev.pig.modules.pgsql.PatroniCluster;
import dev.pig.modules.pgsql.PgsqlModule;

/**
 * {@code pig status} read from recorded answers: Patroni's {@code /cluster} on the members, and
 * VictoriaMetrics' and Alertmanager's answers on the infra node
 * ({@code src-test-fixtures/infra/status/}), with a replica whose PostgreSQL is stopped.
 */
class StatusTest {
    final InfraFixtures f = InfraFixtures.sandbox();
    final PgCluster pgTest = f.model.pgCluster("pg-test").orElseThrow();

    /** What the hosts answered: the members {@code patroni}, the infra node {@code infra} (null: unreachable). */
    Gathered gathered(String patroni, String infra) {
        List<FactSection<?>> sections = new ArrayList<>(new PgsqlModule().factSections(f.ctx));
        sections.addAll(new InfraModule().factSections(f.ctx));
        FactGatherer g = new FactGatherer(sections);
        Map<String, HostFacts> facts = new LinkedHashMap<>();
        Map<String, String> failures = new LinkedHashMap<>();
        for (Map.Entry<Node, FactRequest> e : Status.requests(f.ctx, List.of(pgTest)).entrySet()) {
            String host = e.getKey().address();
            StringBuilder out = new StringBuilder(InfraFixtures.read("node/facts/debian12-fresh.out"));
            for (String name : e.getValue().sections()) {
                String body = name.startsWith("infra.status") ? infra : InfraFixtures.read(patroni);
                if (body == null) {
                    continue;
                }
                out.append("@@pig:section ext:").append(name).append('\n').append(body).append('\n');
            }
            if (name(e.getValue()).startsWith("infra.status") && infra == null) {
                failures.put(host, "connection refused");
                continue;
            }
            facts.put(host, g.parse(host, e.getValue(), out.toString()));
        }
        return new Gathered(facts, failures);
    }

    private static String name(FactRequest r) {
        return r.sections().isEmpty() ? "" : r.sections().get(r.sections().size() - 1);
    }

    @Test
    void a_stopped_replica_shows_as_stopped_with_its_alert_and_the_leader_with_its_backup_age() {
        Status.Cluster c = Status.of(f.ctx, pgTest, gathered("infra/status/patroni-replica-stopped.json",
                InfraFixtures.read("infra/status/infra-fault.out")));
        assertTrue(c.patroni() && c.metrics());
        assertEquals("pg-test-1", c.leader().orElseThrow().name());
        assertEquals(1, c.leader().orElseThrow().timeline());
        assertEquals(Optional.of(7412.5), c.leader().orElseThrow().backupAgeSeconds());
        Status.Member two = c.members().get(1);
        assertEquals(List.of("pg-test-2", "replica", "stopped", "-1"), List.of(two.name(), two.role(), two.state(), String.valueOf(two.lagBytes())));
        assertEquals(Optional.empty(), c.members().get(2).backupAgeSeconds(), "a NaN age is no age");
        assertEquals(0, c.members().get(2).lagBytes());
        assertEquals(List.of("PgsqlDown"), c.alerts().stream().map(Status.Alert::name).toList(), "the other cluster's alerts are not shown");
        assertEquals("PostgreSQL pg-test-2 (10.10.10.12) is down", c.alerts().get(0).summary());
        assertEquals(List.of("primary", "replica"), c.services().stream().map(Status.Service::name).toList());
        assertEquals(Map.of("pg-test-1", 1, "pg-test-2", 1, "pg-test-3", 1), c.services().get(0).serversUp());
        assertFalse(c.healthy());
    }

    @Test
    void without_an_infra_node_the_members_still_show_and_the_status_says_what_is_unknown() {
        Status.Cluster c = Status.of(f.ctx, pgTest, gathered("pgsql/patroni-cluster.json", null));
        assertTrue(c.patroni());
        assertFalse(c.metrics());
        assertEquals("pg-test-2", c.leader().orElseThrow().name(), "the leader Patroni reports, not the inventory's");
        assertEquals("primary", c.members().get(0).inventoryRole());
        assertEquals(List.of(), c.alerts());
    }

    @Test
    void a_cluster_whose_only_alerts_are_warnings_is_healthy_and_one_with_a_critical_alert_is_not() {
        Status.Cluster c = Status.of(f.ctx, pgTest, gathered("pgsql/patroni-cluster-converged.json", null));
        Status.Alert failover = new Status.Alert("PatroniFailover", "WARN", "", "cluster pg-test changed its leader", "");
        Status.Alert down = new Status.Alert("PgsqlDown", "CRIT", "pg-test-2", "PostgreSQL pg-test-2 is down", "");
        Status.Cluster warned = new Status.Cluster(c.name(), c.patroni(), true, c.members(), c.services(), List.of(failover), c.paused());
        assertTrue(warned.healthy(), "a recent failover is worth a warning, not an unhealthy cluster");
        Status.Cluster critical = new Status.Cluster(c.name(), c.patroni(), true, c.members(), c.services(), List.of(failover, down), c.paused());
        assertFalse(critical.healthy());
    }

    @Test
    void nothing_answering_is_unknown_not_healthy() {
        Status.Cluster c = Status.of(f.ctx, pgTest, new Gathered(Map.of(), Map.of()));
        assertFalse(c.patroni() || c.metrics() || c.healthy());
        assertTrue(c.members().stream().allMatch(m -> m.state().equals("unknown")), c.members().toString());
    }

    @Test
    void the_infra_section_is_volatile_and_reads_nothing_from_a_silent_node() {
        Status.Section s = Status.Section.of(Infra.find(f.ctx, f.model.node("10.10.10.10").orElseThrow()).orElseThrow());
        assertTrue(s.isVolatile(), "it changes without anyone changing the host");
        assertFalse(s.parse("@@backup\n\n@@servers\n\n@@alerts\n\n").answered());
        assertTrue(s.script().contains("--data-urlencode query=pgbackrest:ins:last_backup_age;"), s.script());
        PatroniCluster.View v = PatroniCluster.of(f.ctx, pgTest).parse(InfraFixtures.read("infra/status/patroni-replica-stopped.json"));
        assertEquals(-1, v.member("pg-test-2").orElseThrow().timeline());
    }
}
