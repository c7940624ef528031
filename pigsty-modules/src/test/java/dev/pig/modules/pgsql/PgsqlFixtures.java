package dev.pig.modules.pgsql;

import java.util.List;

import dev.pig.modules.PlanningFixture;
import dev.pig.modules.RecordedFacts;

/**
 * PGSQL over the sandbox example ({@code inventory-examples/sandbox.yml}: pg-meta on 10.10.10.10,
 * pg-test on 10.10.10.11-13), planned from recorded facts: a fresh Debian 12 node with its
 * network interfaces, and Patroni's and PostgreSQL's answers under {@code src-test-fixtures/pgsql/}.
 */
final class PgsqlFixtures {
    static final String SANDBOX = "inventory-examples/sandbox.yml";
    static final List<String> PG_TEST = List.of("10.10.10.11", "10.10.10.12", "10.10.10.13");

    private PgsqlFixtures() {
    }

    /** The sandbox example with {@code -e} values, no host's facts given yet. */
    static PlanningFixture sandbox(String... extraVars) {
        return PlanningFixture.of(new PgsqlModule(), SANDBOX, extraVars);
    }

    /** A sandbox node before pig ran: the fresh Debian 12 output, and what {@code ip addr} shows on it. */
    static RecordedFacts fresh(String host) {
        return RecordedFacts.freshDebian12().extFixture(Vip.NetInterfaces.SECTION.name(), "pgsql/interfaces/" + host + ".txt");
    }

    /** {@link #fresh}, with Patroni's {@code GET /cluster} of pg-test from {@code src-test-fixtures/pgsql/<answer>}. */
    static RecordedFacts patroni(String host, String answer) {
        return fresh(host).extFixture(PatroniCluster.nameOf("pg-test"), "pgsql/" + answer);
    }
}
