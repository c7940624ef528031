package dev.pig.cli;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sandbox's object store planned on bare Debian hosts: S3Proxy fetched and pinned, its
 * identities, its certificate issued by the inventory's CA, which pg-test's members trust for
 * pgBackRest; {@code pig minio}.
 */
class MinioCommandTest {
    static final String INV = PigRunner.path("inventory-examples/sandbox.yml");

    @Test
    void the_sandbox_plans_s3proxy_on_the_infra_node_with_a_certificate_of_the_ca_every_member_trusts() {
        FakeHosts hosts = new FakeHosts();
        PigRunner.Result r = PigRunner.runWith(hosts, "plan", "-i", INV, "--detailed-exitcode");
        assertEquals(2, r.code(), r.toString());
        String infra = section(r.out(), "10.10.10.10");
        // s3proxy's runtime goes in with the host's other packages, in one apt transaction
        assertTrue(infra.lines().anyMatch(l -> l.strip().startsWith("+ install chrony ") && l.contains(" default-jre-headless")), infra);
        // and Redis's too, in the same transaction (HostTransactionTest: after Debian's redis units are masked)
        assertTrue(infra.lines().anyMatch(l -> l.strip().startsWith("+ install chrony ") && l.contains(" redis-server")), infra);
        assertTrue(infra.lines().noneMatch(l -> l.strip().startsWith("+ install ") && l.contains("redis-server")
                && !l.contains(" chrony")), infra);
        for (String want : List.of("command fetch /opt/s3proxy/s3proxy-a4d025969aaf.jar",
                "file /etc/s3proxy/root.properties", "file /etc/s3proxy/user-1.properties", "unit s3proxy.service",
                "directory /data/minio/pgsql", "+ certificate /home/minio/.minio/certs/public.crt issued by CA pigsty-ca for"
                        + " IP:10.10.10.10,DNS:minio-1.pigsty,DNS:sss.pigsty,DNS:localhost,IP:127.0.0.1", "command key store of minio-1")) {
            assertTrue(infra.contains(want), want + " in\n" + infra);
        }
        for (String member : List.of("10.10.10.10", "10.10.10.11", "10.10.10.12", "10.10.10.13")) {
            assertTrue(section(r.out(), member).contains("+ file /etc/pki/ca.crt"), section(r.out(), member));
        }
        for (String secret : List.of("S3User.Backup", "pgBackRest.Sandbox", "S3User.MinIO")) {
            assertFalse(r.out().contains(secret), secret + " shown in the plan");
        }
        // pg-meta's repository has no passphrase (local): Pigsty's example one is no secret here, and the name stays readable
        assertFalse(r.out().contains("***Rest"), "a passphrase nobody uses is masked in text");
    }

    @Test
    void the_certificate_is_signed_at_apply_time_for_a_request_made_on_the_member() {
        FakeHosts hosts = new FakeHosts();
        PigRunner.Result r = PigRunner.runWith(hosts, "deploy", "-i", INV, "-l", "10.10.10.10,10.10.10.11", "-y");
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        assertTrue(hosts.host("10.10.10.10").applied().stream().anyMatch(c -> c.contains("--reuid=minio") && c.contains("openssl req -new")),
                hosts.host("10.10.10.10").applied().toString());
        assertTrue(hosts.host("10.10.10.10").uploads.stream().anyMatch(u -> u.startsWith("/home/minio/.minio/certs/public.crt")),
                hosts.host("10.10.10.10").uploads.toString());
        assertTrue(hosts.host("10.10.10.11").uploads.stream().anyMatch(u -> u.startsWith("/etc/pki/ca.crt")),
                hosts.host("10.10.10.11").uploads.toString());
    }

    @Test
    void a_repository_on_a_store_without_tls_or_with_another_secret_is_refused_before_any_host_is_asked() {
        FakeHosts hosts = new FakeHosts();
        PigRunner.Result http = PigRunner.runWith(hosts, "plan", "-i", INV, "-e", "minio_https=false");
        assertEquals(ExitCodes.USAGE, http.code(), http.toString());
        assertTrue(http.err().contains("serves plain http (minio_https: false): pgBackRest reaches S3 over https only"), http.err());
        PigRunner.Result key = PigRunner.runWith(hosts, "plan", "-i", INV, "-e",
                "{\"minio_users\": [{\"access_key\": \"pgbackrest\", \"secret_key\": \"Another.S3.Secret\", \"policy\": \"pgsql\"}]}");
        assertEquals(ExitCodes.USAGE, key.code(), key.toString());
        assertTrue(key.err().contains("has another s3_key_secret than the secret_key of user 'pgbackrest'"), key.err());
        assertFalse(key.err().contains("Another.S3.Secret") || key.err().contains("Sandbox.S3.Backup"), key.err());
        assertEquals(0, hosts.host("10.10.10.11").factRuns.get(), "no host is asked");
    }

    @Test
    void removal_is_refused_under_the_safeguard_before_any_host_is_asked() {
        FakeHosts hosts = new FakeHosts();
        PigRunner.Result r = PigRunner.runWith(hosts, "minio", "rm", "-i", INV, "minio", "-e", "minio_safeguard=true", "-y");
        assertEquals(ExitCodes.USAGE, r.code(), r.toString());
        assertTrue(r.err().contains("minio_safeguard is set for minio-1 (10.10.10.10): refusing to remove it"), r.err());
        assertEquals(0, hosts.host("10.10.10.10").factRuns.get());
    }

    @Test
    void removal_stops_the_server_and_keeps_the_data_unless_minio_rm_data() {
        PigRunner.Result keep = PigRunner.runWith(new FakeHosts(), "minio", "rm", "-i", INV, "minio", "-e", "minio_rm_data=false", "-y");
        assertEquals(ExitCodes.OK, keep.code(), keep.toString());
        assertTrue(keep.out().contains("command stop s3proxy.service"), keep.out());
        assertFalse(keep.out().contains("remove /data/minio"), keep.out());
        PigRunner.Result drop = PigRunner.runWith(new FakeHosts(), "plan", "-i", INV, "-t", "minio");
        assertEquals(ExitCodes.OK, drop.code(), drop.toString());
    }

    /** The plan lines of one host. */
    static String section(String plan, String host) {
        int at = plan.indexOf("\n" + host + ":");
        at = at < 0 && plan.startsWith(host + ":") ? 0 : at;
        assertTrue(at >= 0, host + " not in\n" + plan);
        int end = plan.indexOf("\n10.", at + host.length() + 2);
        int stop = plan.indexOf("\nPlan:", at);
        int to = end < 0 ? (stop < 0 ? plan.length() : stop) : end;
        return plan.substring(at, to);
    }
}
