package dev.pig.modules.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.FactSection;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.model.ClusterModel;
import dev.pig.core.model.Node;
import dev.pig.core.model.RedisCluster;
import dev.pig.core.plan.Action;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.Step;
import dev.pig.core.task.BaseTask;
import dev.pig.core.task.CommandTask;
import dev.pig.core.task.DirectoryTask;
import dev.pig.core.task.FileTask;
import dev.pig.core.task.PackagesTask;
import dev.pig.core.task.PlanContext;
import dev.pig.core.task.Staged;
import dev.pig.core.task.UnitTask;
import dev.pig.modules.Entry;
import dev.pig.modules.ModuleContext;
import dev.pig.modules.Operation;
import dev.pig.modules.PigModule;

/**
 * REDIS: every Redis cluster of the inventory, in Pigsty's three modes.
 *
 * <pre>
 * redis-ms:   { hosts: { 10.10.10.10: { redis_node: 1, redis_instances: { 6379: {}, 6380: { replica_of: '10.10.10.10 6379' } } } },
 *               vars: { redis_cluster: redis-ms, redis_password: redis.ms, redis_max_memory: 64MB } }
 * redis-test: { hosts: { 10.10.10.12: { redis_node: 1, redis_instances: { 6379: {}, 6380: {}, 6381: {} } },
 *                        10.10.10.13: { redis_node: 2, redis_instances: { 6379: {}, 6380: {}, 6381: {} } } },
 *               vars: { redis_cluster: redis-test, redis_mode: cluster, redis_password: redis.test } }
 * </pre>
 *
 * This class is the module's stage list, one section per Pigsty tag, in Pigsty's order; the
 * helpers below it know how ({@link RedisCli}, {@link RedisLive}, {@link RedisConf} ...). Debian's
 * redis-server and redis-sentinel run each instance from a template unit of pig's,
 * {@code redis@<cluster>-<node>-<port>.service}, with its file {@code /etc/redis/<name>.conf} and
 * its data under {@code redis_fs_main/redis/<name>}. A data instance's file is pig's: the unit
 * keeps it read-only for the server, a setting Redis changes live is applied with
 * {@code CONFIG SET} (never CONFIG REWRITE) and one it reads only at start restarts the instance,
 * replicas before masters. A sentinel's file is the sentinel's own, written once; the masters it
 * watches are set with SENTINEL commands. Roles are what the instances say now: after a failover
 * a deploy follows them, and restarts nothing.
 */
public final class RedisModule implements PigModule {
    static final String UNIT_TEMPLATE = "/etc/systemd/system/redis@.service";
    static final String AUTH_DIR = "/var/lib/pig/redis";

    /** Debian's own single-instance units, which would take ports 6379 and 26379 at boot. */
    static final List<String> PACKAGED_UNITS = List.of("redis-server.service", "redis-sentinel.service");

    /** A check that passes when {@code unit} is masked. */
    static String masked(String unit) {
        return "[ \"$(readlink /etc/systemd/system/" + unit + ")\" = /dev/null ]";
    }

    @Override
    public String name() {
        return Stage.MODULE;
    }

    @Override
    public int order() {
        return Stage.ORDER;
    }

    @Override
    public List<String> tags() {
        return List.of("redis_install", "redis_dir", "redis_config", "redis_launch", "redis_reload", "redis_exporter", "redis_ha",
                "redis_join", "redis_restart");
    }

    /** The unit of an instance. */
    public static String unit(String instance) {
        return "redis@" + instance + ".service";
    }

    /** The config file of an instance. */
    public static String conf(String instance) {
        return "/etc/redis/" + instance + ".conf";
    }

    static String log(String instance) {
        return "/var/log/redis/" + instance + ".log";
    }

    /**
     * Where pig keeps, on each node (root's alone), the password it last gave the cluster's
     * instances: a changed {@code redis_password} is rolled in as that one, the only password
     * the instances take until then.
     */
    static String authRecord(String cluster) {
        return AUTH_DIR + "/" + cluster + ".auth";
    }

    /** The lines of a file the facts fetched with its content; empty when it is missing or too large to fetch. */
    static java.util.Optional<List<String>> lines(HostFacts facts, String path) {
        dev.pig.core.fact.FileState f = facts.file(path);
        if (!f.exists() || f.content() == null) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new String(f.content(), StandardCharsets.UTF_8).lines().toList());
    }

    @Override
    public List<Node> hosts(ClusterModel model) {
        return RedisHost.hosts(model);
    }

    @Override
    public List<FactSection<?>> factSections(ModuleContext ctx) {
        List<FactSection<?>> out = new ArrayList<>();
        ctx.model().redis().forEach(c -> out.add(RedisHost.live(ctx, c)));
        return out;
    }

    @Override
    public List<Staged> tasks(ModuleContext ctx, Node node) {
        return RedisHost.find(ctx, node).map(RedisModule::node).orElse(List.of());
    }

    /** The stages of one node, in the order Pigsty's redis role runs its tags. */
    private static List<Staged> node(RedisHost h) {
        List<Staged> out = new ArrayList<>();
        List<RedisCluster.Instance> instances = h.instances();

        // ---------------------------------------------------------------- redis_install
        // Debian's packages, with their own single-instance units kept from ever starting
        // masked before the packages install them: Debian enables them, and at the next boot they would take 6379 and 26379
        List<CommandTask> masks = PACKAGED_UNITS.stream().map(u -> CommandTask.unless("mask " + u, masked(u),
                "systemctl mask " + u + " && { systemctl stop " + u + " 2>/dev/null || true; }", "redis_install")).toList();
        masks.forEach(m -> out.add(Stage.of(1, "install", m)));
        // in the host's one apt transaction (NODE's), the masks going before it there
        out.add(Stage.of(1, "install", new PackagesTask("redis", packages(h), "redis_install", ModuleContext.PACKAGE_BATCH,
                masks.stream().map(CommandTask::name).toList())));

        // ---------------------------------------------------------------- redis_dir
        String fsMain = h.v().str("redis_fs_main");
        out.add(Stage.of(2, "dirs", new DirectoryTask(fsMain, "0755", "root", "root", "redis_dir")));
        out.add(Stage.of(2, "dirs", new DirectoryTask(fsMain + "/redis", "0755", "root", "root", "redis_dir")));
        for (RedisCluster.Instance i : instances) {
            out.add(Stage.of(2, "dirs", new Entry(i.name(), new DirectoryTask(h.dataDir(i), "0700", "redis", "redis", "redis_dir"))));
        }
        out.add(Stage.of(2, "dirs", new DirectoryTask("/var/lib/pig", "0755", "root", "root", "redis_dir")));
        out.add(Stage.of(2, "dirs", new DirectoryTask(AUTH_DIR, "0700", "root", "root", "redis_dir")));

        // ---------------------------------------------------------------- redis_config
        // the template unit; then each instance takes a changed password beside the old one
        // (authenticated with the recorded one) before its file gets the new one
        out.add(Stage.of(3, "config", h.ctx().file(UNIT_TEMPLATE, "redis/redis.service.ftl", unitModel(h), "0644", "root", "root",
                "redis_config", false)));
        out.add(Stage.of(3, "config", new TemplateReload(h)));
        for (RedisCluster.Instance i : instances) {
            out.add(Stage.of(3, "config", new Entry(i.name(), new Passwords.Roll(h, i))));
            FileTask file = confFile(h, i);
            out.add(Stage.of(3, "config", new Entry(i.name(), h.sentinel() ? Sentinels.seed(h, i, file) : file)));
        }
        out.add(Stage.of(3, "config", new FileTask(authRecord(h.cluster().name()), (h.password().reveal() + "\n").getBytes(StandardCharsets.UTF_8),
                "0600", "root", "root", "redis_config", true)));

        // ---------------------------------------------------------------- redis_launch
        // every instance runs and answers; a changed file never restarts one here
        for (RedisCluster.Instance i : instances) {
            out.add(Stage.of(4, "launch", new Entry(i.name(), new UnitTask(unit(i.name()), true, true, List.of(), List.of(), "redis_launch"))));
            out.add(Stage.of(4, "launch", new Entry(i.name(), new Answers(h, i))));
        }

        // ---------------------------------------------------------------- redis_reload
        // the settings Redis changes live, then the password replicas give their master, once
        // every instance of the run takes it
        if (!h.sentinel()) {
            for (RedisCluster.Instance i : instances) {
                out.add(Stage.of(5, "reload", new Entry(i.name(), new LiveSettings(h, i))));
            }
            for (RedisCluster.Instance i : instances) {
                out.add(Stage.of(6, "masterauth", new Entry(i.name(), new Passwords.Masterauth(h, i))));
            }
        }

        // ---------------------------------------------------------------- redis_exporter
        Exporter.tasks(h).forEach(t -> out.add(Stage.of(7, "exporter", t)));

        // ---------------------------------------------------------------- redis_ha
        // the masters each sentinel watches, once those masters run (stage 4 on every node)
        if (h.sentinel()) {
            for (RedisCluster.Instance i : instances) {
                out.add(Stage.of(8, "sentinel", new Entry(i.name(), new Sentinels.Monitors(h, i))));
            }
        }

        // ---------------------------------------------------------------- redis_join
        if (h.cluster().mode() == RedisCluster.Mode.CLUSTER) {
            out.add(Stage.of(9, "cluster", new NativeCluster(h)));
        }

        // ---------------------------------------------------------------- redis_restart
        // replicas first (10), then masters (11), by the roles they have now
        if (!h.sentinel()) {
            for (RedisCluster.Instance i : instances) {
                String content = new String(confFile(h, i).content(), StandardCharsets.UTF_8);
                out.add(Stage.of(10, "restart replicas", new Entry(i.name(), new Restart(h, i, false, content))));
                out.add(Stage.of(11, "restart masters", new Entry(i.name(), new Restart(h, i, true, content))));
            }
        }
        return out;
    }

    /** What the node runs: the server or the sentinel, redis-cli with either, and the exporter. */
    static List<String> packages(RedisHost h) {
        List<String> out = new ArrayList<>(List.of(h.sentinel() ? "redis-sentinel" : "redis-server", "redis-tools"));
        if (h.v().bool("redis_exporter_enabled")) {
            out.add(Exporter.PACKAGE);
        }
        return out;
    }

    /** An instance's config file: {@code redis_conf}'s template for data instances, the sentinel's own for sentinels. */
    static FileTask confFile(RedisHost h, RedisCluster.Instance i) {
        String template = h.sentinel() ? "redis/redis-sentinel.conf.ftl" : "redis/" + h.v().str("redis_conf") + ".ftl";
        // root may not write into /etc/redis, which belongs to redis (Debian): the file is redis's, read-only to the server by
        // its unit; a sentinel's holds the auth-pass of its masters, so no copy of it is fetched
        return h.ctx().file(conf(i.name()), template, RedisConf.of(h, i), "0600", "redis", "redis", "redis_config", h.sentinel());
    }

    /** The data of the template unit. */
    static Map<String, Object> unitModel(RedisHost h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("redis_cluster", h.cluster().name());
        m.put("sentinel", h.sentinel());
        m.put("data_root", h.v().str("redis_fs_main") + "/redis");
        m.put("restart_after", restartAfter(h));
        return m;
    }

    /**
     * Seconds before systemd starts a crashed instance again: 1, unless sentinels of the inventory
     * watch a master of this cluster, then longer than their {@code down_after}, so that they fail
     * it over before it comes back (a master back within a second keeps its role, with the data of
     * its last snapshot, and its replicas resync from it).
     */
    static int restartAfter(RedisHost h) {
        int downAfter = 0;
        for (RedisCluster s : h.ctx().model().redis()) {
            for (RedisCluster.Monitor m : s.monitors()) {
                if (!m.remove() && h.cluster().instance(m.endpoint()).isPresent()) {
                    downAfter = Math.max(downAfter, m.downAfter());
                }
            }
        }
        return downAfter == 0 ? 1 : (downAfter + 999) / 1000 + 5;
    }

    /**
     * Tells systemd about a changed template unit and nothing more: a running instance keeps the
     * unit it was started with and takes the new one at its next start.
     */
    static final class TemplateReload extends BaseTask {
        private final RedisHost h;

        TemplateReload(RedisHost h) {
            super("daemon-reload", "redis_config");
            this.h = h;
        }

        @Override
        public void require(FactRequest.Builder b) {
            h.instances().forEach(i -> b.units(unit(i.name())));
        }

        @Override
        public Change plan(HostFacts facts, PlanContext ctx) {
            if (ctx.firstChanged(List.of(UNIT_TEMPLATE)) == null) {
                return noop(UNIT_TEMPLATE + " is unchanged");
            }
            if (h.instances().stream().noneMatch(i -> facts.unit(unit(i.name())).active())) {
                return noop("no instance runs yet: systemd loads " + UNIT_TEMPLATE + " when the first starts");
            }
            return act(Action.UPDATE, "daemon-reload (" + UNIT_TEMPLATE + " changed; running instances take it at their next start)",
                    List.of(Step.Exec.of("systemctl daemon-reload", ctx.masker())), "");
        }
    }

    /** An instance answers PING once its unit runs: waited for when the facts did not see it answer. */
    static final class Answers extends InstanceTask {
        Answers(RedisHost h, RedisCluster.Instance i) {
            super("command wait for " + i.name(), "redis_launch", h, i);
        }

        @Override
        public Change plan(HostFacts facts, PlanContext ctx) {
            RedisLive.Instance s = state(facts);
            if (s.up()) {
                return noop(i.name() + " answers at " + h.cli(i).address() + (h.sentinel() ? "" : " as a " + (s.replica() ? "replica" : "master")));
            }
            RedisCli cli = h.cli(i);
            return act(Action.RUN, "command wait for " + i.name() + ": PING at " + cli.address() + ", up to 60 s",
                    List.of(Step.Exec.withInput(RedisCli.PRELUDE + "(" + cli.waitPing(60, i.name()) + ")", cli.input(), ctx.masker())), "");
        }
    }

    /**
     * {@code pig redis rm}: {@code gone}, instances of {@code c}, removed as the cluster now
     * stands (see {@link Removal}); the whole cluster when they are all of it.
     */
    public static Operation removal(ModuleContext ctx, RedisCluster c, List<RedisCluster.Instance> gone) {
        return Removal.of(ctx, c, gone);
    }

    /**
     * Nothing on its own: a node's instances leave only through {@link #removal(ModuleContext,
     * RedisCluster, List)} ({@code pig redis rm}), which first hands a native cluster's slots and
     * the sentinels over, as the cluster stands.
     */
    @Override
    public List<Staged> removal(ModuleContext ctx, Node node) {
        return List.of();
    }
}
