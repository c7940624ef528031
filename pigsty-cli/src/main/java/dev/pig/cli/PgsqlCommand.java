package dev.pig.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import dev.pig.core.diag.PigException;
import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.model.ModelLoader;
import dev.pig.core.model.Node;
import dev.pig.core.plan.Plan;
import dev.pig.core.ssh.SshTarget;
import dev.pig.core.task.Task;
import dev.pig.core.template.Templates;
import dev.pig.modules.Deployment;
import dev.pig.modules.ModuleContext;
import dev.pig.modules.pgsql.Operations;
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
 * {@code pig pgsql add|rm|user|db|hba|svc CLUSTER ...}: Pigsty's pgsql-add, pgsql-rm, pgsql-user,
 * pgsql-db, pgsql-hba and pgsql-svc, each the PGSQL module limited to one cluster (and its
 * hosts), plan shown first; and the operations {@code backup} and {@code pitr}.
 */
@Command(name = "pgsql", description = "Create, remove and change PostgreSQL clusters (PGSQL module).",
        subcommands = {PgsqlCommand.Add.class, PgsqlCommand.Rm.class, PgsqlCommand.User.class, PgsqlCommand.Db.class,
                PgsqlCommand.Hba.class, PgsqlCommand.Svc.class, PgsqlCommand.Backup.class, PgsqlCommand.Pitr.class})
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
    @Command(name = "user", description = "Create or change a user of pg_users on the cluster's leader, and its PgBouncer entry.")
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
                    c.users().stream().map(u -> u.name()).toList(), "pg_user,pgbouncer_user,pgbouncer_launch");
        }
    }

    /** {@code pig pgsql db CLUSTER DB}: that database of the cluster against its leader's catalog. */
    @Command(name = "db", description = "Create or change a database of pg_databases on the cluster's leader, and its PgBouncer entry.")
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
                    c.databases().stream().map(d -> d.name()).toList(), "pg_db,pgbouncer_db,pgbouncer_launch");
        }
    }

    /** {@code pig pgsql hba CLUSTER}: the HBA rules, which live in patroni.yml; Patroni reloads them. */
    @Command(name = "hba", description = "Apply pg_hba_rules and pgb_hba_rules: Patroni and PgBouncer reload, never restart.")
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
            tagsTo(run, "pg_conf,pg_reload,pgbouncer_hba,pgbouncer_launch");
            return ApplyCommand.applyWith(spec, inventory, run, null, yes, Set.of("pgsql"));
        }
    }

    /** {@code pig pgsql svc CLUSTER}: the HAProxy services of the cluster on the nodes that publish them. */
    @Command(name = "svc", description = "Refresh the cluster's HAProxy services (pg_default_services, pg_services); HAProxy reloads.")
    static final class Svc implements Callable<Integer> {
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
            ClusterModel m = inventory.load().model();
            PgCluster c = cluster(m, cluster);
            if (run.limit != null && !run.limit.isBlank()) {
                throw new PigException(PigException.Kind.USAGE, "give the cluster as the argument, not with -l");
            }
            Object provider = m.value(c.instances().get(0).ip(), "pg_service_provider");
            run.limit = provider == null || String.valueOf(provider).isBlank() ? c.name() : String.valueOf(provider);
            tagsTo(run, "pg_service");
            return ApplyCommand.applyWith(spec, inventory, run, null, yes, Set.of("pgsql"));
        }
    }

    /** Plans and applies an operation's work on the cluster, asking first unless {@code yes}. */
    static int operate(CommandSpec spec, InventoryOptions inventory, RunOptions run, boolean yes, boolean ask,
                       java.util.function.BiFunction<ModuleContext, PgCluster, Map<Node, List<Task>>> work, String cluster) {
        ModelLoader.Loaded loaded = inventory.load();
        PgCluster c = cluster(loaded.model(), cluster);
        if (run.limit != null && !run.limit.isBlank()) {
            throw new PigException(PigException.Kind.USAGE, "this command runs on the whole cluster; leave -l out");
        }
        InventoryCommand.printWarnings(spec.commandLine().getErr(), loaded);
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        ModuleContext ctx = new ModuleContext(loaded.model(), Templates.create(run.templateDir()));
        try (EngineRun r = new EngineRun(loaded, run, Set.of("pgsql"))) {
            Map<SshTarget, List<Task>> byTarget = new LinkedHashMap<>();
            work.apply(ctx, c).forEach((n, tasks) -> byTarget.put(r.deployment().targets().get(Deployment.target(n).host()), tasks));
            Plan plan = r.plan(byTarget);
            EngineRun.show(plan, false, out);
            int unreachable = EngineRun.unreachable(plan, err);
            if (unreachable >= 0) {
                return unreachable;
            }
            if (!plan.failedHosts().isEmpty()) {
                err.println("Error: the operation cannot be planned on every member of " + c.name() + "; nothing was done.");
                return ExitCodes.FAILURE;
            }
            if (ask && !EngineRun.confirm(yes, out)) {
                err.println("Cancelled; nothing was done.");
                return ExitCodes.FAILURE;
            }
            return r.apply(plan, false, out, err);
        }
    }

    /**
     * {@code pig pgsql backup CLUSTER [full|diff|incr]}: a pgBackRest backup on the live leader;
     * {@code --list} prints the backups its repository holds.
     */
    @Command(name = "backup", description = "Back up the cluster on its leader with pgBackRest, or --list its backups.")
    static final class Backup implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        InventoryOptions inventory;
        @Mixin
        RunOptions run;
        @Parameters(index = "0", paramLabel = "CLUSTER", description = "The pg_cluster.")
        String cluster;
        @Parameters(index = "1", arity = "0..1", paramLabel = "TYPE", description = "full, diff or incr (default: incr).")
        String type;
        @Option(names = "--list", description = "List the backups of the leader's repository instead.")
        boolean list;

        @Override
        public Integer call() {
            if (list) {
                if (type != null) {
                    throw new PigException(PigException.Kind.USAGE, "--list takes no backup type");
                }
                return list();
            }
            String t = type == null ? "incr" : type;
            return operate(spec, inventory, run, true, false, (ctx, c) -> Operations.backup(ctx, c, t), cluster);
        }

        private int list() {
            ModelLoader.Loaded loaded = inventory.load();
            PgCluster c = cluster(loaded.model(), cluster);
            ModuleContext ctx = new ModuleContext(loaded.model(), Templates.create(run.templateDir()));
            var out = spec.commandLine().getOut();
            var err = spec.commandLine().getErr();
            try (EngineRun r = new EngineRun(loaded, run, Set.of("pgsql"))) {
                FactRequest req = FactRequest.builder().sections(Operations.sections(c, ctx).toArray(new String[0])).build();
                List<SshTarget> targets = c.instances().stream()
                        .map(i -> r.deployment().targets().get(Deployment.target(loaded.model().node(i.ip()).orElseThrow()).host())).toList();
                List<Object> got = dev.pig.core.exec.Parallel.map(targets, run.forks, t -> {
                    try {
                        return r.gatherer().gather(r.connections().get(t), req, EngineRun.FACTS_TIMEOUT);
                    } catch (PigException e) {
                        return e;
                    }
                });
                Map<String, HostFacts> fleet = new LinkedHashMap<>();
                for (int i = 0; i < targets.size(); i++) {
                    if (got.get(i) instanceof HostFacts f) {
                        fleet.put(targets.get(i).host(), f);
                    } else {
                        err.println("Error: " + ((PigException) got.get(i)).getMessage());
                    }
                }
                String leader = Operations.leaderOf(fleet, c, ctx).orElseThrow(() -> new PigException(PigException.Kind.UNAVAILABLE,
                        "no member of " + c.name() + " answers as its leader; its backups are listed from the leader's repository"));
                HostFacts f = fleet.values().stream().filter(x -> x.host().equals(leader)).findFirst().orElseThrow(() ->
                        new PigException(PigException.Kind.UNAVAILABLE, "the leader " + leader + " of " + c.name() + " could not be reached"));
                Operations.backupTable(f, c, ctx).forEach(out::println);
                return ExitCodes.OK;
            }
        }
    }

    /**
     * {@code pig pgsql pitr CLUSTER --time T}: the whole cluster back to a point in time from the
     * leader's pgBackRest repository; the replicas are cloned again from the restored leader.
     */
    @Command(name = "pitr", description = "Restore the cluster to a point in time (or the latest WAL) from the leader's backups.")
    static final class Pitr implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        InventoryOptions inventory;
        @Mixin
        RunOptions run;
        @Parameters(index = "0", paramLabel = "CLUSTER", description = "The pg_cluster.")
        String cluster;
        @picocli.CommandLine.ArgGroup(exclusive = true, multiplicity = "1")
        TargetOption target;
        @Option(names = {"-y", "--yes"}, description = "Restore without asking.")
        boolean yes;
        @Option(names = "--from", paramLabel = "CLUSTER", description = {"Restore another cluster's backups (Pigsty's clone from backup):",
                "both clusters back up to the same repository, and CLUSTER's data is replaced by FROM's."})
        String from;

        static final class TargetOption {
            @Option(names = "--time", paramLabel = "TIME", description = "A time like '2026-12-01 10:00:00+00' (UTC without an offset).")
            String time;
            @Option(names = "--lsn", paramLabel = "LSN", description = "A WAL position like 0/3000060.")
            String lsn;
            @Option(names = "--xid", paramLabel = "XID", description = "A transaction id.")
            String xid;
            @Option(names = "--name", paramLabel = "NAME", description = "A restore point made with pg_create_restore_point().")
            String name;
            @Option(names = "--latest", description = "Replay all the archived WAL.")
            boolean latest;

            Operations.Target toTarget() {
                if (time != null) {
                    return new Operations.Target("time", time);
                }
                if (lsn != null) {
                    return new Operations.Target("lsn", lsn);
                }
                if (xid != null) {
                    return new Operations.Target("xid", xid);
                }
                if (name != null) {
                    return new Operations.Target("name", name);
                }
                return new Operations.Target("latest", "");
            }
        }

        @Override
        public Integer call() {
            Operations.Target t = target.toTarget();
            int code = operate(spec, inventory, run, yes, true, (ctx, c) -> Operations.pitr(ctx, c, t, from == null ? c
                    : ctx.model().pgCluster(from).orElseThrow(() -> new PigException(PigException.Kind.USAGE, "--from " + from
                    + ": the inventory has no cluster of that name"))), cluster);
            if (code == ExitCodes.OK && from != null) {
                spec.commandLine().getOut().println("Restored " + cluster + " from the backups of " + from + " to " + t
                        + ". It has no backup of its own yet: run 'pig deploy -l " + cluster + " -t pgbackrest' for its stanza and a first backup.");
            } else if (code == ExitCodes.OK) {
                spec.commandLine().getOut().println("Restored " + cluster + " to " + t + ". The new timeline has no backup yet: run 'pig pgsql backup "
                        + cluster + " full'.");
            }
            return code;
        }
    }
}
