package dev.pig.modules.pgsql;

import static dev.pig.modules.PlanningFixture.act;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;


import org.junit.jupiter.api.Test;

import dev.pig.core.plan.HostPlan;
import dev.pig.core.plan.Step;
import dev.pig.modules.Golden;
import dev.pig.modules.PlanningFixture;

/**
 * The PGSQL tasks of one host on a fresh Debian 12 node: how the cluster's etcd user is made,
 * and the patroni.yml of the instances that are not the primary. The dbsu's sudo rights and the
 * server certificate are in the cases of {@code src-test-fixtures/pgsql/cases/}.
 */
class PgsqlTasksTest {
    static final String SANDBOX = PgsqlFixtures.SANDBOX;

    private static HostPlan plan(String host) {
        return PgsqlFixtures.sandbox().host(host, PgsqlFixtures.fresh(host)).plan(host);
    }

    @Test
    void the_primary_makes_the_cluster_s_etcd_user_with_access_to_its_prefix_only() {
        Step.Exec e = (Step.Exec) act(plan("10.10.10.11"), "command etcd user pg-test").steps().get(0);
        String cmd = e.command();
        // over https (etcd_tls), the instance's own certificate as etcdctl's
        assertTrue(cmd.contains("--endpoints=https://10.10.10.10:2379 --cacert=/pg/cert/ca.crt --cert=/pg/cert/etcd.crt"
                + " --key=/pg/cert/etcd.key"), cmd);
        // both passwords reach etcdctl on the step's stdin: root's through ETCDCTL_USER, the new one on etcdctl's stdin
        assertTrue(cmd.contains("ETCDCTL_USER=\"$pig_root\" ") && cmd.contains("| ETCDCTL_USER=\"$pig_root\" ETCDCTL_API=3 etcdctl"
                + " --endpoints=https://10.10.10.10:2379 --cacert=/pg/cert/ca.crt --cert=/pg/cert/etcd.crt --key=/pg/cert/etcd.key"
                + " --command-timeout=5s user add pg-test --interactive=false"), cmd);
        assertFalse(cmd.contains("Etcd.Root") || cmd.contains("--new-user-password"), cmd);
        assertEquals("root:Etcd.Root\npg-test\n", e.input());
        assertTrue(cmd.contains(" role grant-permission pg-test readwrite /pg/pg-test/ --prefix=true"), cmd);
        assertTrue(cmd.contains(" user grant-role pg-test pg-test"), cmd);
        HostPlan replica = plan("10.10.10.12");
        assertTrue(replica.changes().stream().noneMatch(c -> c.task().contains("etcd user")), "only the primary makes the etcd user");
    }

    /** patroni.yml of one host of {@code inventory} (relative to the repository root), on a 4 GB / 2 cpu node. */
    static String patroniYml(String inventory, String host, String... extra) {
        return TestPg.patroniYml(PlanningFixture.of(new PgsqlModule(), inventory, extra), host, 4096, 2);
    }

    @Test
    void a_replica_serving_offline_queries_matches_its_golden_copy() {
        String yml = patroniYml(SANDBOX, "10.10.10.13");
        Golden.check("pgsql/golden/patroni-oltp-2c4g-pg-test-3.yml", yml);
        assertTrue(yml.contains("tags:\n  nofailover: false\n  noloadbalance: false\n  clonefrom: true\n  nosync: true\n"), yml);
    }

    @Test
    void an_offline_instance_never_leads_nor_serves_nor_is_cloned_from() {
        String inv = "src-test-fixtures/pgsql/inventory/offline.yml";
        assertTrue(patroniYml(inv, "10.10.10.13").contains("tags:\n  nofailover: true\n  noloadbalance: true\n  clonefrom: false\n  nosync: true\n"));
        assertTrue(patroniYml(inv, "10.10.10.12").contains("tags:\n  nofailover: false\n  noloadbalance: false\n  clonefrom: true\n  nosync: true\n"));
        assertTrue(patroniYml(inv, "10.10.10.11").contains("tags:\n  nofailover: false\n  noloadbalance: false\n  clonefrom: true\n  nosync: false\n"));
    }

    @Test
    void pg_rpo_zero_turns_synchronous_mode_on() {
        assertTrue(patroniYml(SANDBOX, "10.10.10.11", "pg_rpo=0").contains("    maximum_lag_on_failover: 0\n    synchronous_mode: true\n"));
        String dflt = patroniYml(SANDBOX, "10.10.10.11");
        assertTrue(dflt.contains("    maximum_lag_on_failover: 1048576\n    synchronous_mode: false\n"), dflt);
        assertFalse(dflt.contains("synchronous_mode: true"));
    }
}
