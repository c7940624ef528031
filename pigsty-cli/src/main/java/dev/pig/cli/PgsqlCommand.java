package dev.pig.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import dev.pig.core.diag.PigException;
import dev.pig.core.model.ClusterModel;
import dev.pig.core.model.ModelLoader;
import dev.pig.core.model.PgCluster;
import dev.pig.core.model.PgInstance;
import dev.pig.core.plan.Plan;
import dev.pig.core.ssh.SshTarget;
import dev.pig.core.task.Task;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code pig pgsql add|rm|user|db|hba CLUSTER ...}: Pigsty's pgsql-add, pgsql-rm, pgsql-user,
 * pgsql-db and pgsql-hba, each the PGSQL module limited to one cluster (and its hosts), plan
 * shown first.
 */
@Command(name = "pgsql", description = "Create, remove and change PostgreSQL clusters (PGSQL module).",
        subcommands = {PgsqlCommand.Add.class, PgsqlCommand.Rm.class, PgsqlCommand.User.class, PgsqlCommand.Db.class,
                PgsqlCommand.Hba.class})
public final class PgsqlCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static PgCluster cluster(ClusterModel m, String name) {
        return m.pgCluster(name).orElseThrow(() -> new PigException(PigException.Kind.USAGE,
                "the inventory has no PostgreSQL cluster '" + name + "': add a group with pg_cluster: " + name + " first"));
    }

    /** The instances the IPs name (all of the cluster when none), as a {@code -l} limit. */
    static List<PgInstance> instances(PgCluster c, List<String> ips) {
        if (ips == null || ips.isEmpty()) {
            return c.instances();
        }
        List<PgInstance> out = new ArrayList<>();
        for (String ip : ips) {
            out.add(c.instance(ip).orElseThrow(() -> new PigException(PigException.Kind.USAGE,
                    ip + " is not an instance of " + c.name() + ": add it to the group with a pg_seq and pg_role first")));
        }
        return out;
    }

    static void limitTo(RunOptions run, List<PgInstance> instances) {
        if (run.limit != null && !run.limit.isBlank()) {
            throw new PigException(PigException.Kind.USAGE, "give the cluster and hosts as arguments, not with -l");
        }
        run.limit = String.join(",", instances.stream().map(PgInstance::ip).toList());
    }

    static void tagsTo(RunOptions run, String tags) {
        if (run.tags != null && !run.tags.isBlank()) {
            throw new PigException(PigException.Kind.USAGE, "this command chooses its own tasks; leave -t out");
        }
        run.tags = tags;
    }

    /** {@code pig pgsql add CLUSTER [IP...]}: the PGSQL module on the cluster, or on the instances being added. */
    @Command(name = "add", description = "Create a cluster, or add instances to it (they join as replicas of the leader).")
    static final class Add implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        InventoryOptions inventory;
        @Mixin
        RunOptions run;
        @Parameters(index = "0", paramLabel = "CLUSTER", description = "The pg_cluster.")
        String cluster;
        @Parameters(index = "1..*", paramLabel = "IP", description = "Instances to add; all of the cluster when none.")
        List<String> ips;
        @Option(names = {"-y", "--yes"}, description = "Apply without asking.")
        boolean yes;

        @Override
        public Integer call() {
            PgCluster c = cluster(inventory.load().model(), cluster);
            limitTo(run, instances(c, ips));
            return ApplyCommand.applyWith(spec, inventory, run, null, yes, Set.of("pgsql"));
        }
    }

    /**
     * {@code pig pgsql rm CLUSTER [IP...]}: replicas are stopped before the leader, and the leader
     * Patroni reports goes only with the whole cluster; the data goes with {@code pg_rm_data} (or
     * {@code --rm-data}), stays with {@code --keep-data}. Refused when {@code pg_safeguard} is set.
     */
    @Command(name = "rm", description = "Remove replicas, or the whole cluster: replicas first, data only with pg_rm_data.")
    static final class Rm implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        InventoryOptions inventory;
        @Mixin
        RunOptions run;
        @Parameters(index = "0", paramLabel = "CLUSTER", description = "The pg_cluster.")
        String cluster;
        @Parameters(index = "1..*", paramLabel = "IP", description = "Instances to remove; the whole cluster when none.")
        List<String> ips;
        @Option(names = "--rm-data", description = "Delete the data directory (pg_rm_data=true).")
        boolean rmData;
        @Option(names = "--keep-data", description = "Keep the data directory (pg_rm_data=false).")
        boolean keepData;
        @Option(names = {"-y", "--yes"}, description = "Apply without asking.")
        boolean yes;

        @Override
        public Integer call() {
            if (rmData && keepData) {
                throw new PigException(PigException.Kind.USAGE, "--rm-data and --keep-data contradict each other; give one");
            }
            if (rmData || keepData) {
                inventory.extraVars.add("pg_rm_data=" + rmData);
            }
            ClusterModel m = inventory.load().model();
            PgCluster c = cluster(m, cluster);
            List<PgInstance> gone = instances(c, ips);
            for (PgInstance i : gone) {
                if (Boolean.TRUE.equals(m.value(i.ip(), "pg_safeguard"))) {
                    throw new PigException(PigException.Kind.USAGE, "pg_safeguard is set for " + i.name()
                            + ": refusing to remove it (override with -e pg_safeguard=false)");
                }
            }
            limitTo(run, gone);
            return remove(spec, inventory, run, yes);
        }
    }

    /**
     * Plans the removal and applies it only when every instance could be planned: the leader
     * refuses to go while replicas stay (as the live cluster says, not the inventory), and an
     * instance that cannot be reached must not be left running while the rest is removed.
     */
    static int remove(CommandSpec spec, InventoryOptions inventory, RunOptions run, boolean yes) {
        ModelLoader.Loaded loaded = inventory.load();
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        InventoryCommand.printWarnings(err, loaded);
        try (EngineRun r = new EngineRun(loaded, run, Set.of("pgsql"), true)) {
            Plan plan = r.plan();
            EngineRun.show(plan, false, out);
            if (!plan.failedHosts().isEmpty()) {
                err.println("Error: the removal cannot be planned on every instance it removes (see above); nothing was changed.");
                return ExitCodes.FAILURE;
            }
            if (plan.isEmpty()) {
                return ExitCodes.OK;
            }
            if (!EngineRun.confirm(yes, out)) {
                err.println("Removal cancelled; nothing was changed.");
                return ExitCodes.FAILURE;
            }
            return r.apply(plan, false, out, err);
        }
    }

    /**
     * {@code pgsql user} and {@code pgsql db}: the named entry must be in the inventory; then
     * only it is planned against the leader's catalog and applied, never the cluster's other
     * roles or databases (an other entry's {@code state: absent} or {@code recreate} waits for
     * its own command or a deploy).
     *
     * @param kind {@code role} or {@code database}: the task names of the entries are {@code "<kind> <name>"}
     */
    static int provision(CommandSpec spec, InventoryOptions inventory, RunOptions run, boolean yes, PgCluster c,
                         String kind, String name, String param, java.util.List<String> names, String tag) {
        if (!names.contains(name)) {
            throw new PigException(PigException.Kind.USAGE, (kind.equals("role") ? "user" : kind) + " " + name + " is not in the "
                    + param + " of " + c.name() + ": add it there first");
        }
        limitTo(run, c.instances());
        tagsTo(run, tag);
        ModelLoader.Loaded loaded = inventory.load();
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        InventoryCommand.printWarnings(err, loaded);
        try (EngineRun r = new EngineRun(loaded, run, Set.of("pgsql"))) {
            Plan plan = r.plan(only(r.deployment().work(), kind, name));
            boolean any = EngineRun.show(plan, false, out);
            int unreachable = EngineRun.unreachable(plan, err);
            if (unreachable >= 0) {
                return unreachable;
            }
            if (!any && plan.failedHosts().isEmpty()) {
                return ExitCodes.OK;
            }
            if (!EngineRun.confirm(yes, out)) {
                err.println("Apply cancelled; nothing was changed.");
                return ExitCodes.FAILURE;
            }
            return r.apply(plan, false, out, err);
        }
    }

    /** The work without the tasks of the other entries of the same kind ({@code role x}, {@code database x}). */
    static Map<SshTarget, List<Task>> only(Map<SshTarget, List<Task>> work, String kind, String name) {
        Map<SshTarget, List<Task>> out = new LinkedHashMap<>();
        work.forEach((host, tasks) -> out.put(host, tasks.stream()
                .filter(t -> !t.name().startsWith(kind + " ") || t.name().equals(kind + " " + name)).toList()));
        return out;
    }

    /** {@code pig pgsql user CLUSTER USER}: that role of the cluster against its leader's catalog. */
    @Command(name = "user", description = "Create or change a user of pg_users on the cluster's leader.")
    static final class User implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        InventoryOptions inventory;
        @Mixin
        RunOptions run;
        @Parameters(index = "0", paramLabel = "CLUSTER", description = "The pg_cluster.")
        String cluster;
        @Parameters(index = "1", paramLabel = "USER", description = "A name from the cluster's pg_users.")
        String user;
        @Option(names = {"-y", "--yes"}, description = "Apply without asking.")
        boolean yes;

        @Override
        public Integer call() {
            PgCluster c = cluster(inventory.load().model(), cluster);
            return provision(spec, inventory, run, yes, c, "role", user, "pg_users",
                    c.users().stream().map(u -> u.name()).toList(), "pg_user");
        }
    }

    /** {@code pig pgsql db CLUSTER DB}: that database of the cluster against its leader's catalog. */
    @Command(name = "db", description = "Create or change a database of pg_databases on the cluster's leader.")
    static final class Db implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        InventoryOptions inventory;
        @Mixin
        RunOptions run;
        @Parameters(index = "0", paramLabel = "CLUSTER", description = "The pg_cluster.")
        String cluster;
        @Parameters(index = "1", paramLabel = "DB", description = "A name from the cluster's pg_databases.")
        String db;
        @Option(names = {"-y", "--yes"}, description = "Apply without asking.")
        boolean yes;

        @Override
        public Integer call() {
            PgCluster c = cluster(inventory.load().model(), cluster);
            return provision(spec, inventory, run, yes, c, "database", db, "pg_databases",
                    c.databases().stream().map(d -> d.name()).toList(), "pg_db");
        }
    }

    /** {@code pig pgsql hba CLUSTER}: the HBA rules, which live in patroni.yml; Patroni reloads them. */
    @Command(name = "hba", description = "Apply pg_hba_rules: patroni.yml is rewritten and Patroni reloaded, never restarted.")
    static final class Hba implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        InventoryOptions inventory;
        @Mixin
        RunOptions run;
        @Parameters(index = "0", paramLabel = "CLUSTER", description = "The pg_cluster.")
        String cluster;
        @Option(names = {"-y", "--yes"}, description = "Apply without asking.")
        boolean yes;

        @Override
        public Integer call() {
            PgCluster c = cluster(inventory.load().model(), cluster);
            limitTo(run, c.instances());
            tagsTo(run, "pg_conf,pg_reload");
            return ApplyCommand.applyWith(spec, inventory, run, null, yes, Set.of("pgsql"));
        }
    }
}
