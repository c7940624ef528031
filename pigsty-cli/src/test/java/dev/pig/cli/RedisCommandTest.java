package dev.pig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@code pig redis add|rm}: what is refused before any host is reached, and what a run on hosts
 * that report nothing of Redis yet ({@link FakeHosts}) plans and sends. What the REDIS module
 * plans against live instances is tested with the module.
 */
class RedisCommandTest {
    static final String INV = PigRunner.path("inventory-examples/sandbox.yml");
    private final FakeHosts hosts = new FakeHosts();

    private PigRunner.Result pig(String... args) {
        return PigRunner.runWith(hosts, args);
    }

    @Test
    void redis_without_a_subcommand_shows_its_verbs() {
        PigRunner.Result r = PigRunner.run("redis");
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        assertTrue(r.out().contains("add") && r.out().contains("rm"), r.out());
    }

    @Test
    void bad_targets_are_refused_with_what_to_do() {
        PigRunner.Result cluster = pig("redis", "add", "-i", INV, "redis-nope");
        assertEquals(ExitCodes.USAGE, cluster.code(), cluster.toString());
        assertEquals("Error: the inventory has no Redis cluster 'redis-nope': add a group with redis_cluster: redis-nope first\n", cluster.err());
        PigRunner.Result node = pig("redis", "add", "-i", INV, "redis-ms", "10.10.10.11");
        assertEquals(ExitCodes.USAGE, node.code(), node.toString());
        assertTrue(node.err().contains("10.10.10.11 is no node of redis-ms: add it to the group with a redis_node and redis_instances first"),
                node.err());
        PigRunner.Result port = pig("redis", "rm", "-i", INV, "redis-ms", "10.10.10.10:6390", "-y");
        assertEquals(ExitCodes.USAGE, port.code(), port.toString());
        assertTrue(port.err().contains("10.10.10.10 has no redis instance on port 6390 in redis-ms (its ports: 6379, 6380)"), port.err());
        PigRunner.Result limit = pig("redis", "add", "-i", INV, "redis-ms", "-l", "10.10.10.10");
        assertEquals(ExitCodes.USAGE, limit.code(), limit.toString());
        assertEquals(0, hosts.host("10.10.10.10").factRuns.get(), "nothing was asked of a host");
    }

    @Test
    void removal_is_refused_under_the_safeguard_with_the_reason() {
        PigRunner.Result r = pig("redis", "rm", "-i", INV, "redis-test", "10.10.10.13", "-e", "redis_safeguard=true", "-y");
        assertEquals(ExitCodes.USAGE, r.code(), r.toString());
        assertEquals("Error: redis_safeguard is set for 10.10.10.13 in redis-test: refusing to remove its instances"
                + " (override with -e redis_safeguard=false)\n", r.err());
        assertEquals(0, hosts.host("10.10.10.13").factRuns.get());
    }

    @Test
    void adding_an_instance_plans_its_own_tasks_and_its_node_s_only() {
        PigRunner.Result r = pig("redis", "add", "-i", INV, "redis-ms", "10.10.10.10:6380", "-y");
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        assertTrue(r.out().contains("unit redis@redis-ms-1-6380.service: enable, start"), r.out());
        assertFalse(r.out().contains("redis@redis-ms-1-6379.service"), r.out());
        assertFalse(r.out().contains("/etc/redis/redis-ms-1-6379.conf"), r.out());
        assertTrue(r.out().contains("install redis-server redis-tools prometheus-redis-exporter"), "the node's own tasks stay: " + r.out());
        assertEquals(0, hosts.host("10.10.10.11").factRuns.get(), "only the instance's node is asked");
    }

    @Test
    void a_replica_is_removed_with_nothing_left_behind_and_the_master_it_serves_is_refused() {
        PigRunner.Result master = pig("redis", "rm", "-i", INV, "redis-ms", "10.10.10.10:6379", "-y");
        assertEquals(ExitCodes.USAGE, master.code(), master.toString());
        assertTrue(master.err().contains("redis-ms-1-6379 is the master of redis-ms-1-6380"), master.err());
        assertTrue(hosts.host("10.10.10.10").applied().isEmpty());

        PigRunner.Result r = pig("redis", "rm", "-i", INV, "redis-ms", "10.10.10.10:6380", "-y");
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        String sent = String.join("\n", hosts.host("10.10.10.10").applied());
        for (String expected : new String[] {"systemctl disable --now redis@redis-ms-1-6380.service",
                "rm -rf -- /etc/redis/redis-ms-1-6380.conf", "rm -rf -- /var/log/redis/redis-ms-1-6380.log",
                "rm -rf -- /data/redis/redis-ms-1-6380"}) {
            assertTrue(sent.contains(expected), expected + " not sent:\n" + sent);
        }
        assertFalse(sent.contains("redis-ms-1-6379"), "the master stays untouched:\n" + sent);
        assertFalse(sent.contains("prometheus-redis-exporter"), "the node keeps its exporter while an instance stays:\n" + sent);
        assertTrue(r.out().contains("Removed redis-ms-1-6380; now delete it from " + INV + ", or a deploy makes it again."), r.out());
    }
}
