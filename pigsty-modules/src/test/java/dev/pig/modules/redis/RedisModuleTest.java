package dev.pig.modules.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.pig.core.fact.HostFacts;
import dev.pig.core.model.RedisCluster;
import dev.pig.core.task.FileTask;
import dev.pig.core.task.Staged;
import dev.pig.core.task.Wrapper;
import dev.pig.modules.Golden;
import dev.pig.modules.PlanningFixture;
import dev.pig.modules.RecordedFacts;

/**
 * The REDIS module's files (golden copies), its sizes and restart rules, and the facts recorded
 * on the sandbox's stand-in (see {@code src-test-fixtures/redis/facts/README.md}) as the
 * section parses them.
 */
class RedisModuleTest {
    private final PlanningFixture sandbox = PlanningFixture.of(new RedisModule(), "inventory-examples/sandbox.yml");

    private String rendered(String host, String path) {
        for (Staged s : new RedisModule().tasks(sandbox.ctx(), sandbox.node(host))) {
            for (dev.pig.core.task.Task t = s; t != null; t = t instanceof Wrapper w ? w.inner() : null) {
                if (t instanceof FileTask f && f.path().equals(path)) {
                    return new String(f.content(), StandardCharsets.UTF_8);
                }
            }
        }
        throw new AssertionError(path + " not among the tasks of " + host);
    }

    @Test
    void the_files_of_each_mode_match_their_golden_copies() {
        Golden.check("redis/golden/redis-ms-1-6380.conf", rendered("10.10.10.10", "/etc/redis/redis-ms-1-6380.conf"));
        Golden.check("redis/golden/redis-test-1-6379.conf", rendered("10.10.10.12", "/etc/redis/redis-test-1-6379.conf"));
        RedisCluster meta = sandbox.model().redis().get(1);
        Golden.check("redis/golden/redis-meta-1-26379.conf", new String(RedisModule.confFile(RedisHost.of(sandbox.ctx(), meta, "10.10.10.11"),
                meta.instances().get(0)).content(), StandardCharsets.UTF_8));
        Golden.check("redis/golden/redis@.service", rendered("10.10.10.10", RedisModule.UNIT_TEMPLATE));
        Golden.check("redis/golden/redis-sentinel@.service", rendered("10.10.10.11", RedisModule.UNIT_TEMPLATE));
        Golden.check("redis/golden/prometheus-redis-exporter", rendered("10.10.10.12", Exporter.DEFAULTS));
    }

    @Test
    void hostile_values_stay_one_word_of_redis_conf() {
        // a newline is refused at validation (ControlChars); what a password may hold is quoted as one word
        PlanningFixture ok = PlanningFixture.inline(new RedisModule(), """
                all:
                  children:
                    redis-x:
                      hosts: { 10.10.10.10: { redis_node: 1, redis_instances: { 6379: {} } } }
                      vars: { redis_cluster: redis-x, redis_password: "pa ss\\"w#rd'", redis_rename_commands: { FLUSHALL: '' } }
                """);
        String conf = new String(((FileTask) RedisModule.confFile(RedisHost.of(ok.ctx(), ok.model().redis().get(0), "10.10.10.10"),
                ok.model().redis().get(0).instances().get(0))).content(), StandardCharsets.UTF_8);
        assertTrue(conf.contains("\nrequirepass \"pa ss\\\"w#rd'\"\n"), conf);
        assertTrue(conf.contains("\nmasterauth \"pa ss\\\"w#rd'\"\n"), conf);
        assertTrue(conf.contains("\nrename-command FLUSHALL \"\"\n"), conf);
    }

    @Test
    void sizes_are_read_as_redis_reads_units() {
        assertEquals(64L << 20, RedisConf.bytes("64MB"));
        assertEquals(64L << 20, RedisConf.bytes("64mb"));
        assertEquals(64L << 20, RedisConf.bytes("64MiB"));
        assertEquals(64_000_000L, RedisConf.bytes("64m"));
        assertEquals(1L << 30, RedisConf.bytes("1GB"));
        assertEquals(1536L << 20, RedisConf.bytes("1.5GB"));
        assertEquals(1000L, RedisConf.bytes("1000"));
        assertEquals("64mb", RedisConf.maxmemoryText(64L << 20));
        assertEquals("1gb", RedisConf.maxmemoryText(1L << 30));
        assertEquals("62500kb", RedisConf.maxmemoryText(64_000_000L));
        assertEquals("64000001", RedisConf.maxmemoryText(64_000_001L));
        assertThrows(IllegalArgumentException.class, () -> RedisConf.bytes("lots"));
    }

    @Test
    void only_settings_redis_reads_at_start_need_a_restart() {
        List<String> file = List.of("# comment", "bind 0.0.0.0", "port 6380", "maxmemory 64mb", "save 1200 1", "requirepass x",
                "masterauth x", "replicaof 10.10.10.10 6379", "rename-command FLUSHALL \"\"", "");
        assertEquals(List.of("port 6380", "rename-command FLUSHALL \"\""), RedisConf.restartPart(file));
        assertEquals("10.10.10.10 6379", RedisConf.replicaOf(file));
        assertEquals("", RedisConf.replicaOf(List.of("port 6379")));
        assertEquals(List.of("- port 6380", "- rename-command FLUSHALL \"\"", "+ port 6381"),
                Restart.delta(List.of("port 6380", "rename-command FLUSHALL \"\""), List.of("port 6381")));
    }

    @Test
    void a_crashed_instance_watched_by_sentinels_restarts_after_they_could_fail_it_over() {
        assertEquals(8, RedisModule.restartAfter(RedisHost.of(sandbox.ctx(), sandbox.model().redis().get(0), "10.10.10.10")));
        assertEquals(1, RedisModule.restartAfter(RedisHost.of(sandbox.ctx(), sandbox.model().redis().get(2), "10.10.10.12")));
    }

    @Test
    void the_section_scripts_are_valid_sh_and_keep_passwords_to_assignments() {
        for (var s : new RedisModule().factSections(sandbox.ctx())) {
            PlanningFixture.assertValidShell(s.script());
            // a password is assigned once per instance and compared on the host; never an argument of redis-cli
            assertFalse(s.script().contains("-a "), s.script());
        }
    }

    /** What the sandbox's section of {@code cluster} says on {@code host}, in {@code state}. */
    private RedisLive.View view(String state, String host, String cluster) {
        RedisCluster c = sandbox.model().redis().stream().filter(x -> x.name().equals(cluster)).findFirst().orElseThrow();
        RedisLive live = RedisHost.live(sandbox.ctx(), c);
        HostFacts f = sandbox.host(host, RecordedFacts.of("redis/facts/" + state + "/" + host + ".out")).facts(host);
        return f.extra(live);
    }

    @Test
    void the_recorded_roles_parse_before_and_after_a_failover() {
        RedisLive.View before = view("converged", "10.10.10.10", "redis-ms");
        assertTrue(before.answered());
        RedisLive.Instance m = before.instance(new RedisCluster.Endpoint("10.10.10.10", 6379));
        assertTrue(m.master());
        assertEquals(Optional.of(new RedisLive.Instance.Auth(1, true, false)), m.auth());
        assertEquals("current", m.masterauth());
        assertEquals(Map.of("maxmemory", "67108864", "maxmemory-policy", "allkeys-lru", "save", "1200 1", "appendonly", "no", "bind", "0.0.0.0"),
                m.config());
        RedisLive.Instance r = before.instance(new RedisCluster.Endpoint("10.10.10.10", 6380));
        assertTrue(r.replica() && r.linkUp());
        assertEquals(Optional.of(new RedisCluster.Endpoint("10.10.10.10", 6379)), r.upstream());

        RedisLive.View after = view("failed-over", "10.10.10.10", "redis-ms");
        assertTrue(after.instance(new RedisCluster.Endpoint("10.10.10.10", 6380)).master());
        assertEquals(Optional.of(new RedisCluster.Endpoint("10.10.10.10", 6380)),
                after.instance(new RedisCluster.Endpoint("10.10.10.10", 6379)).upstream());
    }

    @Test
    void the_recorded_sentinels_report_where_the_master_runs_and_the_probe_who_it_follows() {
        RedisLive.View v = view("failed-over", "10.10.10.11", "redis-meta");
        RedisLive.Instance s = v.instance(new RedisCluster.Endpoint("10.10.10.11", 26380));
        RedisLive.SentinelMaster sm = s.sentinelMaster("redis-ms").orElseThrow();
        assertEquals(new RedisCluster.Endpoint("10.10.10.10", 6380), sm.endpoint());
        assertEquals(2, sm.quorum());
        assertEquals(3000, sm.downAfter());
        assertEquals(2, sm.otherSentinels());
        assertEquals("current", s.authPass().get("redis-ms"));
        RedisLive.Instance probe = v.probes().get("redis-ms");
        assertTrue(probe.replica());
        assertEquals(Optional.of(new RedisCluster.Endpoint("10.10.10.10", 6380)), probe.upstream());
    }

    @Test
    void the_recorded_native_cluster_lists_every_node_with_its_slots() {
        RedisLive.Instance i = view("converged", "10.10.10.13", "redis-test").instance(new RedisCluster.Endpoint("10.10.10.12", 6379));
        assertEquals(6, i.knownNodes());
        assertEquals(16384, i.slotsAssigned());
        assertEquals(6, i.nodes().size());
        assertEquals(16384, i.nodes().stream().mapToInt(RedisLive.ClusterNode::slotCount).sum());
        assertEquals(3, i.nodes().stream().filter(n -> n.master() && n.slotCount() > 0).count());
        assertEquals(i.cluster().get("myid"), i.myself().orElseThrow().id());
        // a fresh node reports nothing: no redis-cli yet
        assertFalse(view("new", "10.10.10.12", "redis-test").answered());
        assertFalse(view("new", "10.10.10.12", "redis-test").instance(new RedisCluster.Endpoint("10.10.10.12", 6379)).up());
    }

    @Test
    void newcomers_join_as_replicas_of_the_masters_with_fewest_then_as_masters() {
        RedisLive.Instance i = view("node-removed", "10.10.10.12", "redis-test").instance(new RedisCluster.Endpoint("10.10.10.12", 6379));
        RedisCluster c = sandbox.model().redis().get(2);
        List<RedisCluster.Instance> node2 = c.node("10.10.10.13").orElseThrow().instances();
        var plan = NativeCluster.assign(i.nodes(), node2, 1);
        assertEquals(List.of("10.10.10.12:6379", "10.10.10.12:6380", "10.10.10.12:6381"),
                plan.values().stream().map(m -> m.orElseThrow().endpoint().toString()).toList());
        // with no replica wanted, they join as masters
        assertTrue(NativeCluster.assign(i.nodes(), node2, 0).values().stream().allMatch(Optional::isEmpty));
    }
}
