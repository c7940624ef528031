package dev.pig.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Central backups on the sandbox: S3Proxy on the infra node, pg-test backing up into its bucket
 * encrypted, then what a shared repository is for: a failover by power loss of the leader's host,
 * a backup on the new leader continuing the same chain, a point-in-time recovery to before the
 * failover, a replica built from the repository, pg-test's backups restored into a new cluster,
 * and pg-meta moved from its local repository to S3 without a restart. Bad input and
 * {@code pig minio rm} under the safeguard are refused before anything changes. Destructive parts
 * come last.
 */
@ExtendWith(SandboxExtension.class)
@SandboxExtension.Converged
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MinioIT {
    static final String INV = SandboxExtension.INVENTORY.toString();
    static final List<String> PG_TEST = List.of("10.10.10.11", "10.10.10.12", "10.10.10.13");
    static final String STORE = "10.10.10.10";
    static final String BUCKET = "/data/minio/pgsql/pgbackrest";
    static final ObjectMapper JSON = new ObjectMapper();

    /** A time before the failover, and what pg-test held then. */
    static String beforeFailover;

    static String sh(SandboxExtension.Lab lab, String node, String command) {
        return lab.sh(node, command);
    }

    static String psql(SandboxExtension.Lab lab, String node, String sql) {
        return lab.psql(node, "postgres", sql);
    }

    static String leader(SandboxExtension.Lab lab, String via) throws IOException {
        JsonNode cluster = JSON.readTree(sh(lab, via, "curl -sf http://127.0.0.1:8008/cluster"));
        for (JsonNode m : cluster.path("members")) {
            if (m.path("role").asText().equals("leader")) {
                return m.path("host").asText();
            }
        }
        throw new AssertionError("no leader in " + cluster);
    }

    /** {@code pgbackrest info} of a stanza as JSON, read on {@code node}. */
    static JsonNode info(SandboxExtension.Lab lab, String node, String stanza) throws IOException {
        return JSON.readTree(sh(lab, node, "su -s /bin/sh postgres -c 'pgbackrest --stanza=" + stanza + " --output=json info'")).path(0);
    }

    static Map<String, String> startTimes(SandboxExtension.Lab lab) {
        Map<String, String> out = new TreeMap<>();
        for (String n : PG_TEST) {
            out.put(n, psql(lab, n, "SELECT pg_postmaster_start_time()"));
            out.put(n + " patroni", sh(lab, n, "systemctl show -p MainPID -p ActiveEnterTimestamp patroni"));
        }
        out.put("s3proxy", sh(lab, STORE, "systemctl show -p MainPID -p ActiveEnterTimestamp s3proxy"));
        out.put("pg-meta", psql(lab, STORE, "SELECT pg_postmaster_start_time()"));
        return out;
    }

    static Path variant(String name, String from, String to) throws IOException {
        String text = Files.readString(Path.of(INV));
        assertTrue(text.contains(from), "the sandbox inventory has " + from);
        Path p = Files.createTempFile("minio-" + name, ".yml");
        Files.writeString(p, text.replace(from, to));
        return p;
    }

    @Test
    @Order(1)
    void pg_test_backs_up_into_the_bucket_over_verified_tls_and_the_objects_are_encrypted(SandboxExtension.Lab lab) throws IOException {
        assertEquals("active", sh(lab, STORE, "systemctl is-active s3proxy"));
        JsonNode stanza = info(lab, "10.10.10.11", "pg-test");
        assertEquals(0, stanza.path("status").path("code").asInt(), stanza.toString());
        assertEquals("aes-256-cbc", stanza.path("cipher").asText(), stanza.toString());
        assertTrue(stanza.path("backup").size() >= 1, "the first full backup is there: " + stanza);
        // the objects are files of S3Proxy's store: a WAL segment there is no PostgreSQL page, nor lz4 text, but openssl's salted cipher text
        String segment = sh(lab, STORE, "find " + BUCKET + "/archive/pg-test -name '0000000*-*' -type f | sort | head -n 1");
        assertTrue(!segment.isEmpty(), "a WAL segment is stored");
        String head = sh(lab, STORE, "head -c 8 " + segment + " | od -An -tx1 | tr -d ' \\n'");
        assertEquals("53616c7465645f5f", head, "'Salted__' starts " + segment);
        assertNotEquals("10d1", head.substring(0, 4), "no PostgreSQL 15 page header");
        // the store's certificate is the inventory CA's, which pgBackRest (storage_ca_file) and the system's trust store verify
        assertEquals("stdin: OK", sh(lab, "10.10.10.12", "printf '%s\\n' '" + sh(lab, STORE, "cat /home/minio/.minio/certs/public.crt")
                + "' | openssl verify -CAfile /etc/pki/ca.crt").strip());
        assertNotEquals("000", sh(lab, "10.10.10.12", "curl -s -o /dev/null -w '%{http_code}' --cacert /etc/pki/ca.crt https://sss.pigsty:9000/pgsql"),
                "verified against the CA");
        assertNotEquals("000", sh(lab, "10.10.10.12", "curl -s -o /dev/null -w '%{http_code}' https://sss.pigsty:9000/pgsql"),
                "verified by the system's trust store, which holds the CA");
        sh(lab, "10.10.10.12", "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=other -days 1"
                + " -keyout /tmp/other-ca.key -out /tmp/other-ca.crt 2>/dev/null");
        // curl reads the system's directory of CAs besides --cacert: an empty one leaves the other CA alone
        assertTrue(lab.run("10.10.10.12", "sh", "-c", "mkdir -p /tmp/no-cas && curl -s -o /dev/null --cacert /tmp/other-ca.crt"
                + " --capath /tmp/no-cas https://sss.pigsty:9000/").exit() != 0, "not verified with another CA");
        for (String n : PG_TEST) {
            assertEquals("600 postgres", sh(lab, n, "stat -c '%a %U' /etc/pgbackrest/pgbackrest.conf"), n);
        }
        // the passphrase is in pgbackrest.conf only: no process of the cluster carries it on its command line
        for (String n : PG_TEST) {
            assertTrue(lab.run(n, "sh", "-c", "cat /proc/[0-9]*/cmdline 2>/dev/null | tr '\\0' ' ' | grep -q 'pgBackRest[.]Sandbox'").exit() != 0, n);
        }
        assertTrue(sh(lab, "10.10.10.11", "crontab -l -u postgres").contains("/pg/bin/pg-backup full"), "pg_crontab");
    }

    @Test
    @Order(2)
    void a_second_deploy_plans_nothing_and_restarts_nothing(SandboxExtension.Lab lab) {
        Map<String, String> before = startTimes(lab);
        Pig plan = Pig.run("plan", "-i", INV, "--detailed-exitcode");
        assertEquals(0, plan.exit(), plan.out() + plan.err());
        Pig deploy = Pig.run("deploy", "-i", INV, "-y");
        assertEquals(0, deploy.exit(), deploy.out() + deploy.err());
        assertTrue(deploy.out().contains("No changes."), deploy.out());
        assertEquals(before, startTimes(lab));
    }

    @Test
    @Order(3)
    void bad_input_is_refused_before_anything_changes(SandboxExtension.Lab lab) throws IOException {
        Map<String, String> before = startTimes(lab);
        Path bucket = variant("bucket", "minio_buckets: [ { name: pgsql } ]", "minio_buckets: [ { name: pgsql }, { name: Backups_2026 } ]");
        Pig b = Pig.run("deploy", "-i", bucket.toString(), "-y");
        assertEquals(65, b.exit(), b.out() + b.err());
        assertTrue(b.err().contains("bucket name 'Backups_2026' is refused by S3"), b.err());
        Path pass = variant("pass", "            cipher_pass: pgBackRest.Sandbox\n", "");
        Pig p = Pig.run("deploy", "-i", pass.toString(), "-y");
        assertEquals(65, p.exit(), p.out() + p.err());
        assertTrue(p.err().contains("encrypts with aes-256-cbc but has no cipher_pass"), p.err());
        Path away = variant("away", "s3_endpoint: sss.pigsty", "s3_endpoint: 10.10.10.99");
        Pig a = Pig.run("deploy", "-i", away.toString(), "-l", "pg-test", "-y");
        assertNotEquals(0, a.exit(), a.out() + a.err());
        assertTrue((a.out() + a.err()).contains("the S3 endpoint 10.10.10.99:9000 of pgbackrest_repo.minio takes no connection from here"),
                a.out() + a.err());
        for (Path f : List.of(bucket, pass, away)) {
            Files.delete(f);
        }
        assertEquals(0, Pig.run("plan", "-i", INV, "--detailed-exitcode").exit(), "nothing was changed");
        assertEquals(before, startTimes(lab));
    }

    @Test
    @Order(4)
    void pig_minio_rm_is_refused_under_the_safeguard(SandboxExtension.Lab lab) {
        Pig rm = Pig.run("minio", "rm", "-i", INV, "minio", "-e", "minio_safeguard=true", "-y");
        assertEquals(64, rm.exit(), rm.out() + rm.err());
        assertTrue(rm.err().contains("minio_safeguard is set for minio-1"), rm.err());
        assertEquals("active", sh(lab, STORE, "systemctl is-active s3proxy"));
    }

    @Test
    @Order(5)
    void a_replica_is_built_from_the_repository_instead_of_the_leader(SandboxExtension.Lab lab) throws IOException {
        Path inv = variant("replica", "10.10.10.13: { pg_seq: 3, pg_role: replica, pg_offline_query: true }",
                "10.10.10.13: { pg_seq: 3, pg_role: replica, pg_offline_query: true, patroni_replica_methods: [ pgbackrest, basebackup ] }");
        Pig conf = Pig.run("deploy", "-i", inv.toString(), "-l", "10.10.10.13", "-t", "pg_conf,pg_reload", "-y");
        assertEquals(0, conf.exit(), conf.out() + conf.err());
        String before = psql(lab, "10.10.10.13", "SELECT pg_postmaster_start_time()");
        sh(lab, "10.10.10.13", "rm -f /pg/log/pgbackrest/pg-test-restore.log");
        sh(lab, "10.10.10.13", "su -s /bin/sh postgres -c 'patronictl -c /etc/patroni/patroni.yml reinit pg-test pg-test-3 --force --wait' >/dev/null");
        sh(lab, "10.10.10.13", "for i in $(seq 180); do su -s /bin/sh postgres -c \"psql -AtXc 'SELECT status FROM pg_stat_wal_receiver'\" 2>/dev/null"
                + " | grep -q streaming && exit 0; sleep 1; done; exit 1");
        assertNotEquals(before, psql(lab, "10.10.10.13", "SELECT pg_postmaster_start_time()"), "pg-test-3 was built again");
        String log = sh(lab, "10.10.10.13", "cat /pg/log/pgbackrest/pg-test-restore.log 2>&1 || { grep -A3 create_replica_methods"
                + " /etc/patroni/patroni.yml; tail -n 40 /pg/log/patroni/patroni.log; } 2>&1; true");
        assertTrue(log.contains("restore command end: completed successfully"), "restored by pgBackRest: " + log);
        Files.delete(inv);
        Pig back = Pig.run("deploy", "-i", INV, "-l", "10.10.10.13", "-t", "pg_conf,pg_reload", "-y");
        assertEquals(0, back.exit(), back.out() + back.err());
    }

    @Test
    @Order(6)
    void a_backup_after_a_power_loss_failover_continues_the_chain_of_the_old_leader(SandboxExtension.Lab lab) throws IOException {
        String old = leader(lab, "10.10.10.12");
        psql(lab, old, "CREATE TABLE IF NOT EXISTS chain_probe(id int)");
        lab.psql(old, "postgres", "INSERT INTO chain_probe SELECT generate_series(1, 50)");
        sh(lab, old, "sleep 2");
        beforeFailover = psql(lab, old, "SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')");
        sh(lab, old, "sleep 2");
        psql(lab, old, "INSERT INTO chain_probe SELECT generate_series(51, 80)");
        psql(lab, old, "SELECT pg_switch_wal()");
        sh(lab, old, "for i in $(seq 30); do su -s /bin/sh postgres -c \"psql -AtXc 'SELECT last_failed_wal IS NULL OR"
                + " last_archived_time > last_failed_time FROM pg_stat_archiver'\" | grep -q t && exit 0; sleep 1; done; exit 1");
        List<String> labels = new ArrayList<>();
        info(lab, old, "pg-test").path("backup").forEach(b -> labels.add(b.path("label").asText()));

        Pig stop = Pig.run("sandbox", "stop", "-i", INV, lab.node(old).name(), "--power-loss");
        assertEquals(0, stop.exit(), stop.out() + stop.err());
        String via = PG_TEST.stream().filter(n -> !n.equals(old)).findFirst().orElseThrow();
        String elected = null;
        for (int i = 0; i < 120 && elected == null; i++) {
            sh(lab, via, "sleep 1");
            try {
                String now = leader(lab, via);
                elected = now.equals(old) ? null : now;
            } catch (AssertionError e) {
                elected = null;
            }
        }
        assertTrue(elected != null, "no member took over from " + old);
        sh(lab, elected, "for i in $(seq 60); do [ \"$(su -s /bin/sh postgres -c \"psql -AtXc 'SELECT pg_is_in_recovery()'\")\" = f ] && exit 0;"
                + " sleep 1; done; exit 1");
        // the nightly pg_crontab line, run now on whoever leads
        sh(lab, elected, "su -s /bin/sh postgres -c '/pg/bin/pg-backup full'");
        JsonNode after = info(lab, elected, "pg-test");
        assertEquals(0, after.path("status").path("code").asInt(), after.toString());
        List<String> now = new ArrayList<>();
        List<String> timelines = new ArrayList<>();
        after.path("backup").forEach(b -> {
            now.add(b.path("label").asText());
            timelines.add(b.path("archive").path("start").asText().substring(0, 8));
        });
        System.out.printf("minio: backups of pg-test after the failover: %s on timelines %s%n", now, timelines);
        assertTrue(now.containsAll(labels.subList(Math.max(0, labels.size() - 1), labels.size())),
                "the old leader's last backup is still in the chain: " + labels + " vs " + now);
        assertTrue(timelines.contains("00000001") && timelines.stream().anyMatch(t -> !t.equals("00000001")),
                "one stanza holds backups of both leaders' timelines: " + timelines);
        assertEquals(1, after.path("db").size(), "one database history: one chain " + after.path("db"));

        Pig start = Pig.run("sandbox", "start", "-i", INV, lab.node(old).name());
        assertEquals(0, start.exit(), start.out() + start.err());
        sh(lab, old, "for i in $(seq 180); do systemctl is-active -q patroni && curl -s -o /dev/null http://127.0.0.1:8008/patroni && exit 0;"
                + " sleep 1; done; exit 1");
    }

    @Test
    @Order(7)
    void a_point_in_time_recovery_to_before_the_failover_works_on_the_new_leader(SandboxExtension.Lab lab) throws IOException {
        String lead = leader(lab, "10.10.10.12");
        long t0 = System.nanoTime();
        Pig pitr = Pig.run("pgsql", "pitr", "-i", INV, "pg-test", "--time", beforeFailover, "-y");
        System.out.printf("minio: point-in-time recovery of pg-test to before the failover: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        assertEquals(0, pitr.exit(), pitr.out() + pitr.err());
        assertEquals(lead, leader(lab, "10.10.10.12"), "restored on the leader of now");
        assertEquals("50", lab.psql(lead, "postgres", "SELECT count(*) FROM chain_probe"), "the rows of before the target, none after");
        Pig full = Pig.run("pgsql", "backup", "-i", INV, "pg-test", "full");
        assertEquals(0, full.exit(), full.out() + full.err());
    }

    @Test
    @Order(8)
    void pg_test_s_backups_restore_into_a_new_cluster_on_a_spare_node(SandboxExtension.Lab lab) throws IOException {
        // pg-test-3 leaves pg-test and its node becomes pg-copy, a cluster of its own backing up to the same bucket;
        // the failover may have made it the leader, which leaves only with the whole cluster: the lead goes back first
        if (!leader(lab, "10.10.10.11").equals("10.10.10.11")) {
            sh(lab, "10.10.10.11", "su -s /bin/sh postgres -c 'patronictl -c /etc/patroni/patroni.yml switchover --candidate pg-test-1 --force'"
                    + " >/dev/null; for i in $(seq 60); do curl -sf http://127.0.0.1:8008/primary >/dev/null && exit 0; sleep 1; done; exit 1");
        }
        Pig rm = Pig.run("pgsql", "rm", "-i", INV, "pg-test", "10.10.10.13", "--rm-data", "-y");
        assertEquals(0, rm.exit(), rm.out() + rm.err());
        String text = Files.readString(Path.of(INV));
        // pg-test's group: up to the next group, its comment, or all.vars
        int start = text.indexOf("    pg-test:\n");
        java.util.regex.Matcher next = java.util.regex.Pattern.compile("\n(    [#a-z]|  vars:)").matcher(text);
        String pgTest = text.substring(start, next.find(start + 1) ? next.start() : text.length());
        String copy = pgTest.replace("    pg-test:\n", "    pg-copy:\n")
                .replaceAll("        10\\.10\\.10\\.11: .*\n", "").replaceAll("        10\\.10\\.10\\.12: .*\n", "")
                .replace("10.10.10.13: { pg_seq: 3, pg_role: replica, pg_offline_query: true }", "10.10.10.13: { pg_seq: 1, pg_role: primary }")
                .replace("pg_cluster: pg-test", "pg_cluster: pg-copy\n        pg_default_services: []").replace("pg_vip_enabled: true", "pg_vip_enabled: false");
        String withoutMember = text.replaceAll("        10\\.10\\.10\\.13: \\{ pg_seq: 3.*\n", "");
        Path inv = Files.createTempFile("minio-copy", ".yml");
        Files.writeString(inv, withoutMember.replace("\n  vars:\n", "\n" + copy + "\n  vars:\n"));
        Pig deploy = Pig.run("deploy", "-i", inv.toString(), "-l", "10.10.10.13", "-y");
        assertEquals(0, deploy.exit(), deploy.out() + deploy.err());
        Pig restore = Pig.run("pgsql", "pitr", "-i", inv.toString(), "pg-copy", "--from", "pg-test", "--latest", "-y");
        assertEquals(0, restore.exit(), restore.out() + restore.err());
        assertEquals("50", lab.psql("10.10.10.13", "postgres", "SELECT count(*) FROM chain_probe"), "pg-test's data in pg-copy");
        JsonNode own = info(lab, "10.10.10.13", "pg-copy");
        assertEquals(0, own.path("status").path("code").asInt(), "pg-copy has a stanza of its own again: " + own);
        assertEquals(0, Pig.run("plan", "-i", inv.toString(), "-l", "10.10.10.13", "--detailed-exitcode").exit(), "pg-copy matches its inventory");
        Files.delete(inv);
    }

    @Test
    @Order(9)
    void pg_meta_moves_from_its_local_repository_to_the_bucket_without_a_restart(SandboxExtension.Lab lab) throws IOException {
        String started = psql(lab, STORE, "SELECT pg_postmaster_start_time()");
        String text = Files.readString(Path.of(INV));
        String repo = text.substring(text.indexOf("        pgbackrest_method: minio"), text.indexOf("            retention_full: 2\n") + 30);
        Path inv = Files.createTempFile("minio-meta", ".yml");
        Files.writeString(inv, text.replace("        pg_cluster: pg-meta\n", "        pg_cluster: pg-meta\n" + repo));
        Pig plan = Pig.run("plan", "-i", inv.toString(), "-l", STORE);
        assertEquals(0, plan.exit(), plan.out() + plan.err());
        assertTrue(plan.out().contains("command pgbackrest stanza pg-meta") && plan.out().contains("first full backup of pg-meta"), plan.out());
        Pig deploy = Pig.run("deploy", "-i", inv.toString(), "-l", STORE, "-y");
        assertEquals(0, deploy.exit(), deploy.out() + deploy.err());
        assertEquals(started, psql(lab, STORE, "SELECT pg_postmaster_start_time()"), "PostgreSQL was not restarted");
        JsonNode meta = info(lab, STORE, "pg-meta");
        assertTrue(meta.path("backup").size() >= 1 && meta.path("cipher").asText().equals("aes-256-cbc"), meta.toString());
        psql(lab, STORE, "SELECT pg_switch_wal()");
        sh(lab, STORE, "for i in $(seq 30); do ls " + BUCKET + "/archive/pg-meta/15-1/*/ 2>/dev/null | grep -q . && exit 0; sleep 1; done; exit 1");
        assertEquals(0, Pig.run("plan", "-i", inv.toString(), "--detailed-exitcode", "-l", STORE).exit(), "a second deploy plans nothing");
        Files.delete(inv);
    }
}
