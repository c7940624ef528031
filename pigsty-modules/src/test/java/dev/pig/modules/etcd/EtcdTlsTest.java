package dev.pig.modules.etcd;

import static dev.pig.modules.etcd.EtcdFixtures.TRIO;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.pig.core.plan.Change;
import dev.pig.core.plan.HostPlan;
import dev.pig.core.plan.Step;

/**
 * {@code etcd_tls} on the converged plain-http trio of the recorded facts: every member moves to
 * https in its own restart stage, its peer URL changed just before; with a PostgreSQL instance
 * outside the run, the cluster stays on http and the plan says why.
 */
class EtcdTlsTest {

    private static HostPlan plan(String host, String... extraVars) {
        return EtcdFixtures.in(EtcdFixtures.fixture("trio.yml", extraVars), "converged", TRIO).plan(host);
    }

    private static Change.Act act(HostPlan p, String task) {
        return p.actions().stream().filter(a -> a.task().equals(task)).findFirst()
                .orElseThrow(() -> new AssertionError(task + " not planned: " + p.changes()));
    }

    @Test
    void a_running_http_member_is_moved_to_https_in_its_own_restart_with_its_peer_url_changed_first() {
        for (int i = 0; i < TRIO.size(); i++) {
            String host = TRIO.get(i);
            HostPlan p = plan(host, "etcd_tls=true");
            Change.Act restart = act(p, "restart etcd.service on etcd-" + (i + 1));
            assertTrue(restart.summary().contains("moving it from plain http to https (its peer URL to https://" + host + ":2380)"),
                    restart.summary());
            List<String> cmds = restart.steps().stream().map(s -> ((Step.Exec) s).command()).toList();
            int update = indexOf(cmds, " member update ");
            int restartAt = indexOf(cmds, "systemctl restart etcd.service");
            assertTrue(update >= 0 && update < restartAt, cmds.toString());
            // the update through the member as it serves now (http), the health wait as it serves after (https)
            assertTrue(cmds.get(update).contains("--endpoints=http://127.0.0.1:2379"), cmds.get(update));
            assertTrue(cmds.get(restartAt + 1).contains("--endpoints=https://127.0.0.1:2379 --cacert=/etc/etcd/pki/ca.crt"),
                    cmds.get(restartAt + 1));
            assertTrue(p.actions().stream().anyMatch(a -> a.task().equals("certificate /etc/etcd/pki/server.crt")), p.changes().toString());
            assertTrue(act(p, "file /etc/etcd/etcd.conf").steps().stream().anyMatch(s -> s instanceof Step.Upload u
                    && new String(u.content(), java.nio.charset.StandardCharsets.UTF_8).contains("client-cert-auth: true")));
        }
    }

    @Test
    void with_a_postgres_instance_outside_the_run_the_cluster_stays_on_http_and_the_plan_says_why() {
        String inv = """
                all:
                  children:
                    etcd:
                      hosts:
                        10.10.10.10: { etcd_seq: 1 }
                        10.10.10.11: { etcd_seq: 2 }
                        10.10.10.12: { etcd_seq: 3 }
                      vars: { etcd_cluster: etcd }
                    pg-test:
                      hosts:
                        10.10.10.13: { pg_seq: 1, pg_role: primary }
                      vars: { pg_cluster: pg-test }
                  vars:
                    admin_ip: 10.10.10.10
                """;
        var f = dev.pig.modules.PlanningFixture.inline(new EtcdModule(), inv).hosts(TRIO, h -> EtcdFixtures.recorded("converged", h));
        HostPlan p = f.plan("10.10.10.11");
        assertTrue(p.actions().stream().noneMatch(a -> a.task().startsWith("restart etcd.service") || a.task().equals("file /etc/etcd/etcd.conf")),
                p.changes().toString());
        String why = p.changes().stream().filter(c -> c.task().equals("restart etcd.service on etcd-2")).findFirst().orElseThrow().toString();
        assertTrue(why.contains("etcd stays on plain http in this run") && why.contains("pg-test-1 is not"), why);
    }

    private static int indexOf(List<String> cmds, String part) {
        for (int i = 0; i < cmds.size(); i++) {
            if (cmds.get(i).contains(part)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void health_is_judged_by_address_whichever_scheme_answered() {
        EtcdHealth.View v = new EtcdHealth.View(java.util.Map.of("http://10.10.10.10:2379", true, "https://10.10.10.11:2379", false));
        assertTrue(v.healthy("https://10.10.10.10:2379"));
        assertEquals(false, v.healthy("http://10.10.10.11:2379"));
    }
}
