package dev.pig.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.pig.cli.ExitCodes;

/**
 * REDIS end to end on the converged sandbox, Pigsty's layout: redis-ms (6379 and its replica
 * 6380 on 10.10.10.10), three sentinels of redis-meta on 10.10.10.11 watching it, and redis-test,
 * a native cluster over 10.10.10.12 and .13. Data reaches the replica and every slot of the
 * cluster; a second deploy changes and restarts nothing; a setting Redis changes live is applied
 * without a restart; bad input is refused; {@code pig redis rm} of an instance, a node and the
 * whole cluster leaves nothing behind and {@code pig redis add} brings them back. Last, the drill
 * that kills: the primary's process is killed, the sentinels promote its replica within 15 s, and
 * the deploy after that follows the new roles, planning and restarting nothing.
 */
@ExtendWith(SandboxExtension.class)
@SandboxExtension.Converged
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisIT {
    static final String INV = SandboxExtension.INVENTORY.toString();
    static final List<String> NODES = List.of("10.10.10.10", "10.10.10.11", "10.10.10.12", "10.10.10.13");
    static final List<String> CLUSTER = List.of("10.10.10.12:6379", "10.10.10.12:6380", "10.10.10.12:6381", "10.10.10.13:6379",
            "10.10.10.13:6380", "10.10.10.13:6381");

    /** redis-cli on {@code node} against {@code host:port}, the password in its environment; what it printed. */
    static String cli(SandboxExtension.Lab lab, String node, String password, String address, String command) {
        String[] hp = address.split(":");
        return lab.sh(node, "REDISCLI_AUTH=" + password + " redis-cli --no-auth-warning -h " + hp[0] + " -p " + hp[1] + " " + command);
    }

    static String ms(SandboxExtension.Lab lab, String address, String command) {
        return cli(lab, "10.10.10.10", "redis.ms", address, command);
    }

    static String test(SandboxExtension.Lab lab, String address, String command) {
        return cli(lab, address.split(":")[0], "redis.test", address, command);
    }

    /** Runs {@code wait} on {@code node} until it exits 0, for at most {@code seconds}; fails saying {@code what}. */
    static void await(SandboxExtension.Lab lab, String node, String check, int seconds, String what) {
        lab.sh(node, "for i in $(seq " + seconds + "); do " + check + " && exit 0; sleep 1; done; echo " + shq(what + " after " + seconds + " s")
                + " >&2; exit 1");
    }

    static String shq(String s) {
        return "'" + s.replace("'", "'\"'\"'") + "'";
    }

    /** The main PID of every Redis unit and exporter of the sandbox, by node and unit: a restart changes one. */
    static Map<String, String> mainPids(SandboxExtension.Lab lab) {
        Map<String, String> out = new TreeMap<>();
        for (String n : NODES) {
            String units = lab.sh(n, "systemctl show -p Id -p MainPID 'redis@*.service' prometheus-redis-exporter.service");
            out.put(n, units);
        }
        return out;
    }

    /** Where the sentinels say redis-ms's master runs: {@code 10.10.10.10:6379} unless a failover moved it. */
    static String master(SandboxExtension.Lab lab) {
        return String.join(":", cli(lab, "10.10.10.11", "redis.meta", "10.10.10.11:26379", "SENTINEL GET-MASTER-ADDR-BY-NAME redis-ms")
                .lines().toList());
    }

    /** The native cluster ok on every one of its instances, with every slot served. */
    static void awaitCluster(SandboxExtension.Lab lab, List<String> instances) {
        for (String a : instances) {
            String[] hp = a.split(":");
            await(lab, hp[0], "REDISCLI_AUTH=redis.test redis-cli --no-auth-warning -h " + hp[0] + " -p " + hp[1]
                    + " CLUSTER INFO | tr -d '\\r' | grep -qx cluster_state:ok", 60, "redis-test is not ok at " + a);
        }
    }

    @Test
    @Order(1)
    void a_write_on_the_primary_is_read_on_the_replica(SandboxExtension.Lab lab) {
        // the nodes booted again since the deploy: the sentinels may have moved the master while they did
        String primary = master(lab);
        String replica = primary.endsWith(":6379") ? "10.10.10.10:6380" : "10.10.10.10:6379";
        await(lab, "10.10.10.10", "REDISCLI_AUTH=redis.ms redis-cli --no-auth-warning -p " + replica.split(":")[1] + " INFO replication"
                + " | tr -d '\\r' | grep -qx master_link_status:up", 60, replica + " does not replicate");
        assertEquals("role:master", ms(lab, primary, "INFO replication | tr -d '\\r' | grep ^role:"));
        assertEquals("OK", ms(lab, primary, "SET it:greeting hello"));
        await(lab, "10.10.10.10", "[ \"$(REDISCLI_AUTH=redis.ms redis-cli --no-auth-warning -p " + replica.split(":")[1]
                + " GET it:greeting)\" = hello ]", 10, "the replica did not get the key");
        assertTrue(ms(lab, replica, "SET it:x 1").startsWith("READONLY"), "a replica takes no writes");
        // nothing answers without the password
        assertTrue(lab.sh("10.10.10.12", "redis-cli -h 10.10.10.10 -p 6379 GET it:greeting 2>&1").contains("NOAUTH"));
        // the sentinels watch the primary, each knowing the two others and the replica
        String master = cli(lab, "10.10.10.11", "redis.meta", "10.10.10.11:26379", "SENTINEL MASTER redis-ms | paste -sd' '");
        assertTrue(master.contains("ip 10.10.10.10 port " + primary.split(":")[1]) && master.contains("num-other-sentinels 2")
                && master.contains("down-after-milliseconds 3000") && master.contains("quorum 2"), master);
    }

    @Test
    @Order(2)
    void the_native_cluster_covers_every_slot_and_a_key_written_through_one_node_is_read_through_another(SandboxExtension.Lab lab) {
        awaitCluster(lab, CLUSTER);
        for (String a : CLUSTER) {
            String info = test(lab, a, "CLUSTER INFO | tr -d '\\r'");
            assertTrue(info.contains("cluster_slots_assigned:16384") && info.contains("cluster_slots_ok:16384")
                    && info.contains("cluster_known_nodes:6") && info.contains("cluster_size:3"), a + ": " + info);
        }
        String nodes = test(lab, "10.10.10.12:6379", "CLUSTER NODES");
        assertEquals(3, nodes.lines().filter(l -> l.split(" ")[2].contains("master")).count(), nodes);
        assertEquals(3, nodes.lines().filter(l -> l.split(" ")[2].contains("slave")).count(), nodes);
        for (int k = 0; k < 20; k++) {
            assertEquals("OK", cli(lab, "10.10.10.12", "redis.test", "10.10.10.12:6379", "-c SET it:key:" + k + " v" + k));
        }
        for (int k = 0; k < 20; k++) {
            assertEquals("v" + k, cli(lab, "10.10.10.13", "redis.test", "10.10.10.13:6380", "-c GET it:key:" + k));
        }
    }

    @Test
    @Order(3)
    void each_instance_runs_its_own_unit_on_pig_s_file_which_the_server_cannot_rewrite(SandboxExtension.Lab lab) {
        assertEquals("active", lab.sh("10.10.10.10", "systemctl is-active redis@redis-ms-1-6379.service"));
        assertEquals("active\nactive\nactive", lab.sh("10.10.10.11",
                "systemctl is-active redis@redis-meta-1-26379.service redis@redis-meta-1-26380.service redis@redis-meta-1-26381.service"));
        assertEquals("masked", lab.sh("10.10.10.10", "systemctl is-enabled redis-server.service || true"), "Debian's own instance stays off");
        assertEquals("600 redis", lab.sh("10.10.10.10", "stat -c '%a %U' /etc/redis/redis-ms-1-6379.conf"));
        assertTrue(lab.sh("10.10.10.10", "ls /data/redis/redis-ms-1-6379").contains("dump.rdb")
                || ms(lab, "10.10.10.10:6379", "BGSAVE").contains("started"), "data lives under redis_fs_main");
        // CONFIG REWRITE, as a sentinel sends it in a failover, cannot change pig's file
        String before = lab.sh("10.10.10.10", "sha256sum /etc/redis/redis-ms-1-6380.conf");
        assertTrue(ms(lab, "10.10.10.10:6380", "CONFIG REWRITE").startsWith("ERR"), "CONFIG REWRITE succeeded");
        assertEquals(before, lab.sh("10.10.10.10", "sha256sum /etc/redis/redis-ms-1-6380.conf"));
        // one exporter per node reaches every instance of it
        for (String a : List.of("10.10.10.10:6380", "10.10.10.11:26381", "10.10.10.13:6381")) {
            String ip = a.split(":")[0];
            String metrics = lab.sh("10.10.10.10", "curl -sf 'http://" + ip + ":9121/scrape?target=redis://" + a + "'");
            assertTrue(metrics.lines().anyMatch(l -> l.equals("redis_up 1")), a + ": " + metrics.lines().filter(l -> l.startsWith("redis_up")).toList());
        }
    }

    @Test
    @Order(4)
    void a_second_deploy_changes_nothing_and_restarts_nothing(SandboxExtension.Lab lab) {
        Map<String, String> before = mainPids(lab);
        long t0 = System.nanoTime();
        Pig plan = Pig.run("plan", "-i", INV, "--detailed-exitcode");
        System.out.printf("redis: no-op plan of the sandbox: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        assertEquals(0, plan.exit(), plan.out() + plan.err());
        t0 = System.nanoTime();
        Pig deploy = Pig.run("deploy", "-i", INV, "-y");
        System.out.printf("redis: no-op deploy of the sandbox: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        assertEquals(0, deploy.exit(), deploy.out() + deploy.err());
        assertTrue(deploy.out().contains("No changes."), deploy.out());
        assertEquals(before, mainPids(lab));
    }

    @Test
    @Order(5)
    void a_setting_redis_changes_live_is_applied_without_a_restart(SandboxExtension.Lab lab) throws IOException {
        Map<String, String> before = mainPids(lab);
        Path inv = Files.createTempFile("redis-maxmemory", ".yml");
        Files.writeString(inv, Files.readString(Path.of(INV)).replace("redis_password: 'redis.ms', redis_max_memory: 64MB",
                "redis_password: 'redis.ms', redis_max_memory: 48MB"));
        Pig add = Pig.run("redis", "add", "-i", inv.toString(), "redis-ms", "-y");
        assertEquals(0, add.exit(), add.out() + add.err());
        assertTrue(add.out().contains("settings of redis-ms-1-6379: maxmemory 67108864 -> 50331648 (live, no restart)"), add.out());
        assertEquals("maxmemory\n50331648", ms(lab, "10.10.10.10:6379", "CONFIG GET maxmemory"));
        assertTrue(lab.sh("10.10.10.10", "grep -x 'maxmemory 48mb' /etc/redis/redis-ms-1-6380.conf").equals("maxmemory 48mb"));
        assertEquals(before, mainPids(lab), "a live setting restarted something");
        // back to the inventory's
        Pig back = Pig.run("redis", "add", "-i", INV, "redis-ms", "-y");
        assertEquals(0, back.exit(), back.out() + back.err());
        assertEquals("maxmemory\n67108864", ms(lab, "10.10.10.10:6380", "CONFIG GET maxmemory"));
        assertEquals(before, mainPids(lab));
        Files.delete(inv);
    }

    @Test
    @Order(6)
    void bad_input_is_refused_with_file_and_line_and_a_master_is_not_removed_from_under_its_replica(SandboxExtension.Lab lab) {
        for (String f : List.of("redis-ports", "redis-replica-of", "redis-sentinel", "redis-cluster")) {
            String path = SandboxExtension.INVENTORY.getParent().getParent().resolve("src-test-fixtures/inventory/invalid/" + f + ".yml").toString();
            Pig r = Pig.run("inventory", "validate", "-i", path);
            assertEquals(ExitCodes.INVALID_INVENTORY, r.exit(), f + ": " + r.out() + r.err());
            assertTrue(r.err().contains("on " + path + " line "), f + ": " + r.err());
        }
        Pig master = Pig.run("redis", "rm", "-i", INV, "redis-ms", master(lab), "-y");
        assertEquals(ExitCodes.USAGE, master.exit(), master.out() + master.err());
        assertTrue(master.err().contains(" (as the instances say now), which stay"), master.err());
        Pig guarded = Pig.run("redis", "rm", "-i", INV, "redis-test", "-e", "redis_safeguard=true", "-y");
        assertEquals(ExitCodes.USAGE, guarded.exit(), guarded.out() + guarded.err());
        assertTrue(guarded.err().contains("redis_safeguard is set for 10.10.10.12 in redis-test"), guarded.err());
    }

    /** Nothing of {@code instance} on {@code node}: no unit running or enabled, no file, log or data. */
    static void gone(SandboxExtension.Lab lab, String node, String instance) {
        assertEquals("inactive", lab.sh(node, "systemctl is-active redis@" + instance + ".service || true"), instance);
        assertEquals("", lab.sh(node, "ls /etc/systemd/system/multi-user.target.wants/ | grep -F 'redis@" + instance + "' || true"), instance);
        for (String p : List.of("/etc/redis/" + instance + ".conf", "/var/log/redis/" + instance + ".log", "/data/redis/" + instance)) {
            assertEquals("gone", lab.sh(node, "[ -e " + p + " ] && echo there || echo gone"), p);
        }
    }

    @Test
    @Order(7)
    void rm_of_an_instance_a_node_and_the_whole_cluster_leaves_nothing_behind_and_add_brings_them_back(SandboxExtension.Lab lab) {
        // an instance
        long t0 = System.nanoTime();
        Pig one = Pig.run("redis", "rm", "-i", INV, "redis-test", "10.10.10.13:6381", "-y");
        System.out.printf("redis: rm of one instance of redis-test: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        assertEquals(0, one.exit(), one.out() + one.err());
        gone(lab, "10.10.10.13", "redis-test-2-6381");
        List<String> five = CLUSTER.subList(0, 5);
        awaitCluster(lab, five);
        assertTrue(test(lab, "10.10.10.12:6379", "CLUSTER INFO | tr -d '\\r'").contains("cluster_known_nodes:5"));

        // a node: its master fails over to a replica that stays, the cluster forgets it, nothing is left on it
        Pig node = Pig.run("redis", "rm", "-i", INV, "redis-test", "10.10.10.13", "-y");
        assertEquals(0, node.exit(), node.out() + node.err());
        for (String i : List.of("redis-test-2-6379", "redis-test-2-6380")) {
            gone(lab, "10.10.10.13", i);
        }
        assertEquals("", lab.sh("10.10.10.13", "ls /etc/redis | grep -v -e '^redis.conf$' -e '^sentinel.conf$' || true"));
        for (String p : List.of("/etc/systemd/system/redis@.service", "/data/redis", "/var/lib/pig/redis", "/etc/default/prometheus-redis-exporter")) {
            assertEquals("gone", lab.sh("10.10.10.13", "[ -e " + p + " ] && echo there || echo gone"), p);
        }
        assertEquals("inactive", lab.sh("10.10.10.13", "systemctl is-active prometheus-redis-exporter.service || true"));
        List<String> three = CLUSTER.subList(0, 3);
        awaitCluster(lab, three);
        String info = test(lab, "10.10.10.12:6379", "CLUSTER INFO | tr -d '\\r'");
        assertTrue(info.contains("cluster_known_nodes:3") && info.contains("cluster_slots_ok:16384"), info);
        for (int k = 0; k < 20; k++) {
            assertEquals("v" + k, cli(lab, "10.10.10.12", "redis.test", "10.10.10.12:6381", "-c GET it:key:" + k), "no key was lost");
        }

        // the node comes back: its instances join as replicas of the masters that have none
        t0 = System.nanoTime();
        Pig add = Pig.run("redis", "add", "-i", INV, "redis-test", "10.10.10.13", "-y");
        System.out.printf("redis: add of a node to redis-test: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        assertEquals(0, add.exit(), add.out() + add.err());
        awaitCluster(lab, CLUSTER);
        // each newcomer is a replica at once; the others learn it by gossip, within a few seconds
        await(lab, "10.10.10.12", "[ \"$(REDISCLI_AUTH=redis.test redis-cli --no-auth-warning -h 10.10.10.12 -p 6379 CLUSTER NODES"
                + " | awk '$3 ~ /slave/' | wc -l)\" = 3 ]", 30, "10.10.10.12:6379 does not see three replicas");
        String nodes = test(lab, "10.10.10.12:6379", "CLUSTER NODES");
        assertEquals(3, nodes.lines().filter(l -> l.split(" ")[2].contains("slave")).count(), nodes);

        // the whole cluster, then made again
        Pig all = Pig.run("redis", "rm", "-i", INV, "redis-test", "-y");
        assertEquals(0, all.exit(), all.out() + all.err());
        for (String a : CLUSTER) {
            String[] hp = a.split(":");
            gone(lab, hp[0], "redis-test-" + (hp[0].endsWith(".12") ? 1 : 2) + "-" + hp[1]);
        }
        for (String n : List.of("10.10.10.12", "10.10.10.13")) {
            assertEquals("gone", lab.sh(n, "[ -e /data/redis ] || [ -e /etc/systemd/system/redis@.service ] && echo there || echo gone"), n);
        }
        Pig again = Pig.run("redis", "add", "-i", INV, "redis-test", "-y");
        assertEquals(0, again.exit(), again.out() + again.err());
        awaitCluster(lab, CLUSTER);
        Pig plan = Pig.run("plan", "-i", INV, "--detailed-exitcode");
        assertEquals(0, plan.exit(), "the sandbox converged again: " + plan.out() + plan.err());
    }

    @Test
    @Order(8)
    void killed_the_primary_is_replaced_by_its_replica_within_15_s_and_the_next_deploy_follows_without_a_restart(SandboxExtension.Lab lab) {
        if (!master(lab).equals("10.10.10.10:6379")) {
            // a boot moved the master: back to the inventory's first, so the drill fails it over from there
            cli(lab, "10.10.10.11", "redis.meta", "10.10.10.11:26379", "SENTINEL FAILOVER redis-ms");
            await(lab, "10.10.10.10", "REDISCLI_AUTH=redis.ms redis-cli --no-auth-warning -p 6380 INFO replication | tr -d '\\r'"
                    + " | grep -qx master_link_status:up", 60, "redis-ms did not fail back to 6379");
        }
        assertEquals("OK", ms(lab, "10.10.10.10:6379", "SET it:before-failover 1"));
        // the kill and the wait run on the node itself, so the time measured is the sentinels', not ssh's
        String millis = lab.sh("10.10.10.10", "pid=$(systemctl show -p MainPID --value redis@redis-ms-1-6379.service); "
                + "t0=$(date +%s%N); kill -9 \"$pid\"; "
                + "until REDISCLI_AUTH=redis.ms redis-cli --no-auth-warning -p 6380 INFO replication 2>/dev/null | tr -d '\\r' | grep -qx role:master; do "
                + "[ $(( ($(date +%s%N) - t0) / 1000000 )) -gt 60000 ] && { echo 'no promotion in 60 s' >&2; exit 1; }; sleep 0.1; done; "
                + "echo $(( ($(date +%s%N) - t0) / 1000000 ))");
        double seconds = Integer.parseInt(millis) / 1000.0;
        System.out.printf("redis: the sentinels promoted redis-ms-1-6380 %.2f s after kill -9 of the primary%n", seconds);
        assertTrue(seconds <= 15, "the failover took " + seconds + " s, more than 15 s");
        assertEquals("1", ms(lab, "10.10.10.10:6380", "GET it:before-failover"));
        // the sentinel that led the failover tells the others in its next hello (every 2 s)
        for (String sentinel : List.of("26379", "26380", "26381")) {
            await(lab, "10.10.10.11", "REDISCLI_AUTH=redis.meta redis-cli --no-auth-warning -h 10.10.10.11 -p " + sentinel
                    + " SENTINEL GET-MASTER-ADDR-BY-NAME redis-ms | tr -d '\\r' | tr '\\n' ' ' | grep -qx '10.10.10.10 6380 '", 10,
                    "sentinel " + sentinel + " does not name 10.10.10.10:6380 the master");
        }
        // systemd starts the old primary again once the sentinels could act; they make it a replica
        await(lab, "10.10.10.10", "REDISCLI_AUTH=redis.ms redis-cli --no-auth-warning -p 6379 INFO replication 2>/dev/null | tr -d '\\r'"
                + " | grep -qx master_port:6380", 90, "the old primary does not replicate from the new one");
        await(lab, "10.10.10.10", "REDISCLI_AUTH=redis.ms redis-cli --no-auth-warning -p 6379 INFO replication | tr -d '\\r'"
                + " | grep -qx master_link_status:up", 60, "the old primary does not replicate from the new one");

        Map<String, String> before = mainPids(lab);
        Pig plan = Pig.run("plan", "-i", INV, "--detailed-exitcode");
        assertEquals(0, plan.exit(), "after the failover the plan has changes: " + plan.out() + plan.err());
        Pig deploy = Pig.run("deploy", "-i", INV, "-y");
        assertEquals(0, deploy.exit(), deploy.out() + deploy.err());
        assertTrue(deploy.out().contains("No changes."), deploy.out());
        assertEquals(before, mainPids(lab), "the deploy after the failover restarted something");
        assertEquals("role:master", ms(lab, "10.10.10.10:6380", "INFO replication | tr -d '\\r' | grep ^role:"), "the old primary was forced back");
        Pig verbose = Pig.run("plan", "-i", INV, "-l", "redis-ms", "-t", "redis_reload", "-v");
        assertTrue(verbose.out().contains("follows its live role: master (the inventory's replica_of is 10.10.10.10 6379: a failover"
                + " promoted it)"), verbose.out());
        assertFalse(verbose.out().contains("REPLICAOF"), verbose.out());
    }
}
