package dev.pig.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.pig.sandbox.system.Tools;

/**
 * The inventory's CA on the sandbox: every node trusts it, pg-test's members serve certificates
 * it issued for keys that never left them, so a client verifies the server (verify-full)
 * whichever way it comes in: a member, an HAProxy service, the VIP, a service name. A
 * certificate issued with a short validity is renewed by the next deploy with a reload.
 */
@ExtendWith(SandboxExtension.class)
@SandboxExtension.Converged
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PgsqlTlsIT {
    static final String INV = SandboxExtension.INVENTORY.toString();
    static final List<String> PG_TEST = PgsqlAccessIT.PG_TEST;
    static final String CLIENT = PgsqlAccessIT.CLIENT;

    /** A verify-full query from the client node to {@code host} (the name checked) at {@code addr}; the exit and output. */
    static Tools.Result verified(SandboxExtension.Lab lab, String host, String addr, int port) {
        return connect(lab, "host=" + host + " hostaddr=" + addr + " port=" + port + " sslmode=verify-full", "test",
                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
    }

    /** psql from the client node as user test to database test with {@code conn} and the CA, {@code password} in PGPASSWORD (or none). */
    static Tools.Result connect(SandboxExtension.Lab lab, String conn, String password, String sql) {
        String all = conn + " dbname=test user=test sslrootcert=/etc/pki/ca.crt connect_timeout=3";
        return lab.run(CLIENT, "sh", "-c", (password == null ? "" : "PGPASSWORD=" + password + " ") + "psql '" + all + "' -AtXwc '" + sql + "'");
    }

    static void assertVerified(SandboxExtension.Lab lab, String host, String addr, int port) {
        Tools.Result r = verified(lab, host, addr, port);
        assertEquals(0, r.exit(), host + " at " + addr + ":" + port + ": " + r.out() + r.err());
        assertEquals("t", r.out().strip(), host + " at " + addr + ":" + port + " speaks TLS");
    }

    @Test
    @Order(1)
    void every_member_service_and_the_vip_verify_against_the_ca_and_a_wrong_name_does_not(SandboxExtension.Lab lab) {
        // the services that lead to PostgreSQL itself (the sandbox's primary and replica services go
        // through PgBouncer, which speaks TLS only with pgbouncer_sslmode: the next tests)
        for (String member : PG_TEST) {
            assertVerified(lab, member, member, 5432);
            assertVerified(lab, member, member, 5436);
            assertVerified(lab, member, member, 5438);
            assertVerified(lab, "pg-test-default", member, 5436);
            assertVerified(lab, "pg-test-offline", member, 5438);
        }
        assertVerified(lab, "pg-test-1", "10.10.10.11", 5432);
        assertVerified(lab, "10.10.10.3", "10.10.10.3", 5432);
        assertVerified(lab, "10.10.10.3", "10.10.10.3", 5436);
        assertVerified(lab, "pg-test", "10.10.10.3", 5432);
        Tools.Result wrong = verified(lab, "wrong.pigsty", "10.10.10.11", 5432);
        assertTrue(wrong.exit() != 0 && (wrong.out() + wrong.err()).contains("does not match host name"), wrong.out() + wrong.err());
        // pg-meta's certificate does not name pg-test's members
        Tools.Result other = verified(lab, "10.10.10.11", "10.10.10.10", 5432);
        assertTrue(other.exit() != 0 && (other.out() + other.err()).contains("does not match host name"), other.out() + other.err());
    }

    @Test
    @Order(2)
    void each_certificate_is_the_ca_s_for_a_key_only_the_dbsu_reads_and_every_node_trusts_the_ca(SandboxExtension.Lab lab) {
        for (String member : PG_TEST) {
            assertEquals("/pg/cert/server.crt: OK", lab.sh(member, "openssl verify -CAfile /etc/pki/ca.crt /pg/cert/server.crt").strip());
            assertEquals("600 postgres", lab.sh(member, "stat -L -c '%a %U' /pg/cert/server.key").strip());
        }
        for (String node : List.of("10.10.10.10", "10.10.10.11", "10.10.10.12", "10.10.10.13")) {
            // the system's trust store holds it: curl verifies the S3 store's certificate without being told
            assertEquals("", lab.sh(node, "curl -sS -o /dev/null https://sss.pigsty:9000/ --resolve sss.pigsty:9000:10.10.10.10 2>&1"
                    + " | grep -i 'certificate' || true").strip(), node + " trusts the S3 store's certificate");
        }
    }

    @Test
    @Order(3)
    void a_certificate_issued_with_a_short_validity_is_renewed_by_the_next_deploy_with_a_reload(SandboxExtension.Lab lab) {
        Map<String, String> before = PgsqlAccessIT.startTimes(lab);
        // pg-test-2's certificate is lost: issued again, for 30 days, from the key still on the host
        String key = lab.sh("10.10.10.12", "sha256sum /pg/cert/server.key");
        lab.sh("10.10.10.12", "rm -f /pg/cert/server.crt");
        Pig issue = Pig.run("pgsql", "add", "-i", INV, "pg-test", "-e", "cert_validity=30d", "-y");
        assertEquals(0, issue.exit(), issue.out() + issue.err());
        assertTrue(issue.out().contains("cert/server.crt issued by CA pigsty-ca for") && issue.out().contains("(30 days)"), issue.out());
        assertEquals(key, lab.sh("10.10.10.12", "sha256sum /pg/cert/server.key"), "the key stays");
        String enddate = lab.sh("10.10.10.12", "openssl x509 -in /pg/cert/server.crt -noout -enddate").strip();

        // with the inventory's 7300 days, 30 are less than a third: the next plan renews it, and only it
        Pig plan = Pig.run("plan", "-i", INV, "--detailed-exitcode");
        assertEquals(2, plan.exit(), plan.out() + plan.err());
        assertTrue(plan.out().contains("cert/server.crt renew (expires "), plan.out());
        long renewals = plan.out().lines().filter(l -> l.contains("renew (expires")).count();
        assertEquals(1, renewals, plan.out());
        Pig renew = Pig.run("deploy", "-i", INV, "-y");
        assertEquals(0, renew.exit(), renew.out() + renew.err());
        String renewed = lab.sh("10.10.10.12", "openssl x509 -in /pg/cert/server.crt -noout -enddate").strip();
        assertTrue(!renewed.equals(enddate), enddate + " -> " + renewed);
        // PostgreSQL serves the new certificate after a reload, and nothing restarted
        String served = lab.sh(CLIENT, "echo | openssl s_client -starttls postgres -connect 10.10.10.12:5432 2>/dev/null"
                + " | openssl x509 -noout -enddate").strip();
        assertEquals(renewed, served);
        assertEquals(before, PgsqlAccessIT.startTimes(lab));
        assertVerified(lab, "10.10.10.12", "10.10.10.12", 5432);

        Pig again = Pig.run("plan", "-i", INV, "--detailed-exitcode");
        assertEquals(0, again.exit(), "a second plan is empty: " + again.out() + again.err());
    }

    @Test
    @Order(4)
    void pgbouncer_serves_tls_with_the_same_certificate_when_pgbouncer_sslmode_asks(SandboxExtension.Lab lab) {
        Pig on = Pig.run("pgsql", "add", "-i", INV, "pg-test", "-e", "pgbouncer_sslmode=require", "-y");
        assertEquals(0, on.exit(), on.out() + on.err());
        for (String member : PG_TEST) {
            Tools.Result r = connect(lab, "host=pg-test hostaddr=" + member + " port=6432 sslmode=verify-full", "test", "SELECT 1");
            assertEquals(0, r.exit(), member + ": " + r.out() + r.err());
            // the primary and replica services of the sandbox lead to PgBouncer
            for (String[] via : new String[][]{{"pg-test-primary", "5433"}, {"pg-test-replica", "5434"}, {member, "5433"}}) {
                Tools.Result s = connect(lab, "host=" + via[0] + " hostaddr=" + member + " port=" + via[1] + " sslmode=verify-full", "test", "SELECT 1");
                assertEquals(0, s.exit(), via[0] + " at " + member + ":" + via[1] + ": " + s.out() + s.err());
            }
            Tools.Result plain = connect(lab, "host=" + member + " port=6432 sslmode=disable", "test", "SELECT 1");
            assertTrue(plain.exit() != 0, member + " takes a client without TLS: " + plain.out());
        }
        Pig off = Pig.run("pgsql", "add", "-i", INV, "pg-test", "-y");
        assertEquals(0, off.exit(), off.out() + off.err());
        assertEquals(0, connect(lab, "host=10.10.10.11 port=6432 sslmode=disable", "test", "SELECT 1").exit());
    }

    @Test
    @Order(5)
    void a_client_certificate_of_the_ca_logs_in_where_an_hba_rule_says_cert(SandboxExtension.Lab lab,
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        Pig issue = Pig.run("cert", "issue", "-i", INV, "test", "--days", "1", "-o", dir.toString());
        assertEquals(0, issue.exit(), issue.out() + issue.err());
        String crt = java.nio.file.Files.readString(dir.resolve("test.crt"));
        String key = java.nio.file.Files.readString(dir.resolve("test.key"));
        lab.sh(CLIENT, "install -d -m 0700 /root/tls && umask 077 && printf '%s' '" + crt + "' > /root/tls/test.crt && printf '%s' '" + key
                + "' > /root/tls/test.key");
        String rule = "{\"pg_hba_rules\": [{\"user\": \"test\", \"db\": \"test\", \"addr\": \"10.10.10.10/32\", \"auth\": \"cert\","
                + " \"title\": \"test from the client by its certificate\", \"order\": 590}]}";
        Pig hba = Pig.run("pgsql", "hba", "-i", INV, "pg-test", "-e", rule, "-y");
        assertEquals(0, hba.exit(), hba.out() + hba.err());
        String conn = "host=pg-test-1 hostaddr=10.10.10.11 port=5432 sslmode=verify-full";
        Tools.Result withCert = connect(lab, conn + " sslcert=/root/tls/test.crt sslkey=/root/tls/test.key", null, "SELECT current_user");
        assertEquals(0, withCert.exit(), withCert.out() + withCert.err());
        assertEquals("test", withCert.out().strip());
        Tools.Result passwordOnly = connect(lab, conn, "test", "SELECT current_user");
        assertTrue(passwordOnly.exit() != 0 && (passwordOnly.out() + passwordOnly.err()).contains("certificate"),
                "a password is not enough where the rule says cert: " + passwordOnly.out() + passwordOnly.err());
        Pig back = Pig.run("pgsql", "hba", "-i", INV, "pg-test", "-y");
        assertEquals(0, back.exit(), back.out() + back.err());
        assertEquals(0, connect(lab, conn, "test", "SELECT 1").exit(), "the password logs in again");
        Pig plan = Pig.run("plan", "-i", INV, "--detailed-exitcode");
        assertEquals(0, plan.exit(), "the sandbox is back as its inventory says: " + plan.out() + plan.err());
    }

    @Test
    @Order(6)
    void patroni_s_rest_api_moves_to_tls_on_a_running_cluster_and_asks_a_certificate_of_unsafe_calls(SandboxExtension.Lab lab)
            throws Exception {
        Drill drill = Drill.start(lab, "patronitls", "10.10.10.11", List.of(Drill.Route.service("10.10.10.12"), Drill.Route.vip()));
        drill.fault();
        long t0 = System.nanoTime();
        Pig on = Pig.run("pgsql", "add", "-i", INV, "pg-test", "-e", "patroni_ssl_enabled=true", "-y");
        System.out.printf("tls: pg-test's REST API moved to https in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        assertEquals(0, on.exit(), on.out() + on.err());
        drill.awaitWrites(60);
        // the leader stays, no acknowledged write is lost; the services and the VIP are checked over
        // the new scheme once their configurations reload, a few seconds after Patroni's
        Drill.check("patroni-tls", drill.stop("10.10.10.11"), 15, true);
        assertEquals("f", lab.psql("10.10.10.11", "postgres", "SELECT pg_is_in_recovery()").strip(), "pg-test-1 still leads");

        for (String member : PG_TEST) {
            assertEquals("200", lab.sh(CLIENT, "curl -s -o /dev/null -w '%{http_code}' --cacert /etc/pki/ca.crt https://" + member
                    + ":8008/health").strip(), member + " answers over TLS, verified with the CA");
            Tools.Result plain = lab.run(CLIENT, "sh", "-c", "curl -sf -m 3 -o /dev/null http://" + member + ":8008/health");
            assertTrue(plain.exit() != 0, member + " still answers plain http");
        }
        // an unsafe call with the password but no certificate of the CA is refused
        assertEquals("403", lab.sh(CLIENT, "curl -s -o /dev/null -w '%{http_code}' --cacert /etc/pki/ca.crt -u postgres:Patroni.API"
                + " -X POST https://10.10.10.12:8008/reload").strip());
        // pig's own calls show the instance's certificate
        Pig reload = Pig.run("pgsql", "reload", "-i", INV, "pg-test", "-e", "patroni_ssl_enabled=true", "-y");
        assertEquals(0, reload.exit(), reload.out() + reload.err());
        // VictoriaMetrics scrapes Patroni over https, verifying it with the CA
        Victoria vm = new Victoria("http://10.10.10.10:8428");
        long until = System.currentTimeMillis() + 90_000;
        List<String> seen = List.of();
        while (System.currentTimeMillis() < until) {
            seen = vm.targets().stream().filter(t -> t.path("labels").path("job").asText().equals("patroni")
                            && t.path("labels").path("cls").asText().equals("pg-test"))
                    .map(t -> t.path("scrapeUrl").asText() + " " + t.path("health").asText()).sorted().toList();
            if (seen.size() == 3 && seen.stream().allMatch(x -> x.startsWith("https://") && x.endsWith(" up"))) {
                break;
            }
            Thread.sleep(2000);
        }
        assertEquals(3, seen.stream().filter(x -> x.startsWith("https://") && x.endsWith(" up")).count(), seen.toString());
        // -e sets it for pg-meta too, which this run left alone: pg-test's plan
        Pig plan = Pig.run("plan", "-i", INV, "-e", "patroni_ssl_enabled=true", "-l", "pg-test", "--detailed-exitcode");
        assertEquals(0, plan.exit(), "a second plan over TLS is empty: " + plan.out() + plan.err());

        Pig off = Pig.run("pgsql", "add", "-i", INV, "pg-test", "-y");
        assertEquals(0, off.exit(), off.out() + off.err());
        Pig back = Pig.run("plan", "-i", INV, "--detailed-exitcode");
        assertEquals(0, back.exit(), "back on plain http, as the inventory says: " + back.out() + back.err());
    }
}
