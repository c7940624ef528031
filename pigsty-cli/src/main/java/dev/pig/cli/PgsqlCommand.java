package dev.pig.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.pig.cli.views.View;
import dev.pig.core.diag.PigException;
import dev.pig.core.fact.Gathered;
import dev.pig.core.model.ClusterModel;
import dev.pig.core.model.ModelLoader;
import dev.pig.core.model.PgCluster;
import dev.pig.core.model.PgInstance;
import dev.pig.modules.ModuleContext;
import dev.pig.modules.Operation;
import dev.pig.modules.Selection;
import dev.pig.modules.pgsql.ClusterControl;
import dev.pig.modules.pgsql.Operations;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code pig pgsql add|rm|user|db|hba|svc CLUSTER ...}: Pigsty's pgsql-add, pgsql-rm, pgsql-user,
 * pgsql-db, pgsql-hba and pgsql-svc, each the PGSQL module limited to one cluster (and its
 * hosts), plan shown first; the operations {@code backup} and {@code pitr}; and the day-2 verbs
 * on a running cluster through Patroni ({@code switchover}, {@code failover}, {@code restart},
 * {@code reinit}, {@code pause}, {@code resume}, {@code reload}, {@code promote}), each planned
 * from what the members answer, shown and confirmed.
 */
@Command(name = "pgsql", description = "Create, remove and change PostgreSQL clusters (PGSQL module).",
        subcommands = {PgsqlCommand.Add.class, PgsqlCommand.Rm.class, PgsqlCommand.User.class, PgsqlCommand.Db.class,
                PgsqlCommand.Hba.class, PgsqlCommand.Svc.class, PgsqlCommand.Ext.class, PgsqlCommand.Backup.class, PgsqlCommand.Pitr.class,
                PgsqlCommand.Switchover.class, PgsqlCommand.Failover.class, PgsqlCommand.Restart.class, PgsqlCommand.Reinit.class,
                PgsqlCommand.Pause.class, PgsqlCommand.Resume.class, PgsqlCommand.Reload.class, PgsqlCommand.Promote.class,
                PgsqlCommand.Monitor.class})
public final class PgsqlCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A verb on one cluster, named by its first argument. */
    abstract static class ClusterVerb extends HostsCommand {
        @Mixin
        ClusterArgument cluster;
    }

    /** A verb that deploys part of the PGSQL module to one cluster: it says which part. */
    abstract static class ClusterDeploy extends ClusterVerb {
        @Mixin
        ApplyOptions apply;

        /** The hosts and tasks of the cluster this verb deploys. */
        abstract Selection selection(ClusterModel m, PgCluster c);

        @Override
        public Integer call() {
            ModelLoader.Loaded loaded = inventory.load();
            Selection sel = selection(loaded.model(), cluster.in(loaded.model()));
            return workflow().apply(loaded, Request.deploy(sel), apply.policy());
        }
    }

    /** The PGSQL module alone. */
    static final Set<String> PGSQL = Set.of("pgsql");

    /** The instances the IPs name (all of the cluster when none). */
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

    /** The PGSQL module on these instances; their hosts come from the arguments, never from {@code -l}. */
    static Selection on(RunOptions run, List<PgInstance> instances) {
        run.refuseLimit("give the cluster and hosts as arguments, not with -l");
        return run.selection().withLimit(instances.stream().map(PgInstance::ip).toList()).withModules(PGSQL);
    }

    /** The PGSQL tasks of these tags on the cluster's instances: the command chooses them, not {@code -t}. */
    static Selection tagged(RunOptions run, PgCluster c, String tags) {
        Selection sel = on(run, c.instances());
        run.refuseTags();
        return sel.withTags(new LinkedHashSet<>(List.of(tags.split(","))));
    }

    /** {@code pig pgsql add CLUSTER [IP...]}: the PGSQL module on the cluster, or on the instances being added. */
    @Command(name = "add", description = "Create a cluster, or add instances to it (they join as replicas of the leader).")
    static final class Add extends ClusterDeploy {
        @Parameters(index = "1..*", paramLabel = "IP", description = "Instances to add; all of the cluster when none.")
        List<String> ips;

        @Override
        Selection selection(ClusterModel m, PgCluster c) {
            return on(run, instances(c, ips));
        }
    }

    /**
     * {@code pig pgsql rm CLUSTER [IP...]}: replicas are stopped before the leader, and the leader
     * Patroni reports goes only with the whole cluster; the data goes with {@code pg_rm_data} (or
     * {@code --rm-data}), stays with {@code --keep-data}. Refused when {@code pg_safeguard} is set.
     * Applied only when every instance could be planned: the leader refuses to go while replicas
     * stay (as the live cluster says, not the inventory), and an instance that cannot be reached
     * must not be left running while the rest is removed.
     */
    @Command(name = "rm", description = "Remove replicas, or the whole cluster: replicas first, data only with pg_rm_data.")
    static final class Rm extends ClusterVerb {
        @Mixin
        ConfirmOptions confirm;
        @Parameters(index = "1..*", paramLabel = "IP", description = "Instances to remove; the whole cluster when none.")
        List<String> ips;
        @Option(names = "--rm-data", description = "Delete the data directory (pg_rm_data=true).")
        boolean rmData;
        @Option(names = "--keep-data", description = "Keep the data directory (pg_rm_data=false).")
        boolean keepData;

        @Override
        public Integer call() {
            if (rmData && keepData) {
                throw new PigException(PigException.Kind.USAGE, "--rm-data and --keep-data contradict each other; give one");
            }
            ModelLoader.Loaded loaded = inventory.load(rmData || keepData ? List.of("pg_rm_data=" + rmData) : List.of());
            ClusterModel m = loaded.model();
            List<PgInstance> gone = instances(cluster.in(m), ips);
            for (PgInstance i : gone) {
                if (Boolean.TRUE.equals(m.value(i.ip(), "pg_safeguard"))) {
                    throw new PigException(PigException.Kind.USAGE, "pg_safeguard is set for " + i.name()
                            + ": refusing to remove it (override with -e pg_safeguard=false)");
                }
            }
            return workflow().apply(loaded, Request.removal(on(run, gone)), confirm.policy());
        }
    }

    /**
     * {@code pgsql user} and {@code pgsql db}: the named entry must be in the inventory; then
     * only its tasks of {@code entryTag} are planned against the leader's catalog and applied,
     * never the cluster's other roles or databases (an other entry's {@code state: absent} or
     * {@code recreate} waits for its own command or a deploy).
     */
    static Selection entry(RunOptions run, PgCluster c, String what, String name, String param, List<String> names,
                           String entryTag, String tags) {
        if (!names.contains(name)) {
            throw new PigException(PigException.Kind.USAGE, what + " " + name + " is not in the " + param + " of " + c.name()
                    + ": add it there first");
        }
        return tagged(run, c, tags).only(entryTag, name);
    }

    /** {@code pig pgsql user CLUSTER USER}: that role of the cluster against its leader's catalog. */
    @Command(name = "user", description = "Create or change a user of pg_users on the cluster's leader, and its PgBouncer entry.")
    static final class User extends ClusterDeploy {
        @Parameters(index = "1", paramLabel = "USER", description = "A name from the cluster's pg_users.")
        String user;

        @Override
        Selection selection(ClusterModel m, PgCluster c) {
            return entry(run, c, "user", user, "pg_users", c.users().stream().map(u -> u.name()).toList(),
                    "pg_user", "pg_user,pgbouncer_user,pgbouncer_launch");
        }
    }

    /** {@code pig pgsql db CLUSTER DB}: that database of the cluster against its leader's catalog. */
    @Command(name = "db", description = "Create or change a database of pg_databases on the cluster's leader, and its PgBouncer entry.")
    static final class Db extends ClusterDeploy {
        @Parameters(index = "1", paramLabel = "DB", description = "A name from the cluster's pg_databases.")
        String db;

        @Override
        Selection selection(ClusterModel m, PgCluster c) {
            return entry(run, c, "database", db, "pg_databases", c.databases().stream().map(d -> d.name()).toList(),
                    "pg_db", "pg_db,pgbouncer_db,pgbouncer_launch");
        }
    }

    /** {@code pig pgsql hba CLUSTER}: the HBA rules, which live in patroni.yml; Patroni reloads them. */
    @Command(name = "hba", description = "Apply pg_hba_rules and pgb_hba_rules: Patroni and PgBouncer reload, never restart.")
    static final class Hba extends ClusterDeploy {
        @Override
        Selection selection(ClusterModel m, PgCluster c) {
            return tagged(run, c, "pg_conf,pg_reload,pgbouncer_hba,pgbouncer_launch");
        }
    }

    /**
     * {@code pig pgsql svc CLUSTER}: the HAProxy services of the cluster on the nodes that publish
     * them, and on the infra nodes the probes of their ports ({@code pg_register}). The portal's
     * page, which lists the services, is INFRA's: the next deploy writes it.
     */
    @Command(name = "svc", description = "Refresh the cluster's HAProxy services (pg_default_services, pg_services) and the infra"
            + " nodes' probes of their ports; HAProxy reloads. The members' certificates, which name the services, are issued again"
            + " when those names change (PostgreSQL reloads).")
    static final class Svc extends ClusterDeploy {
        @Override
        Selection selection(ClusterModel m, PgCluster c) {
            run.refuseLimit("give the cluster as the argument, not with -l");
            run.refuseTags();
            Object provider = m.value(c.instances().get(0).ip(), "pg_service_provider");
            String hosts = provider == null || String.valueOf(provider).isBlank() ? c.name() : String.valueOf(provider);
            return run.selection().withLimit(hosts).withTags(Set.of("pg_service", "pg_cert", "pg_register")).withModules(PGSQL);
        }
    }

    /**
     * {@code pig pgsql ext CLUSTER [NAME...]}: the packages of the cluster's {@code pg_extensions}
     * (Pigsty's {@code bin/pgsql-ext}), or of the NAMEs given, on every instance; nothing else of
     * the cluster is touched, nothing restarts. Names the catalog or the host's package sources
     * cannot satisfy are refused at plan time.
     */
    @Command(name = "ext", description = "Install the packages of pg_extensions (or of the NAMEs given) on every instance of the cluster.")
    static final class Ext extends ClusterVerb {
        @Mixin
        ApplyOptions apply;
        @Parameters(index = "1..*", paramLabel = "NAME", description = "Extensions by Pigsty's names (postgis, pg_cron ...); "
                + "the cluster's pg_extensions when none.")
        List<String> names;

        @Override
        public Integer call() {
            List<String> more = new ArrayList<>();
            if (names != null && !names.isEmpty()) {
                try {
                    more.add(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(java.util.Map.of("pg_extensions", names)));
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
            }
            ModelLoader.Loaded loaded = inventory.load(more);
            PgCluster c = cluster.in(loaded.model());
            Request req = Request.deploy(tagged(run, c, "pg_extension"));
            if (names != null && !names.isEmpty()) {
                ModelLoader.Loaded written = inventory.load();
                Object listed = written.model().value(c.instances().get(0).ip(), "pg_extensions");
                List<String> have = dev.pig.core.ext.ExtensionCatalog.names(listed instanceof List<?> l
                        ? l.stream().map(String::valueOf).toList() : List.of());
                List<String> unlisted = names.stream().filter(n -> !have.contains(n)).toList();
                if (!unlisted.isEmpty()) {
                    req = req.withAfterApply("Add " + String.join(", ", unlisted) + " to pg_extensions of " + c.name()
                            + " so that new instances get them too; CREATE EXTENSION them with pg_databases[].extensions"
                            + " and 'pig pgsql db " + c.name() + " DB'.");
                }
            }
            return workflow().apply(loaded, req, apply.policy());
        }
    }

    /** An operation runs on the whole cluster and chooses its own tasks. */
    static Selection whole(RunOptions run) {
        run.refuseLimit("this command runs on the whole cluster; leave -l out");
        run.refuseTags();
        return Selection.all().withModules(PGSQL);
    }

    /**
     * {@code pig pgsql backup CLUSTER [full|diff|incr]}: a pgBackRest backup on the live leader;
     * {@code --list} prints the backups its repository holds.
     */
    @Command(name = "backup", description = "Back up the cluster on its leader with pgBackRest, or --list its backups.")
    static final class Backup extends ClusterVerb {
        @Parameters(index = "1", arity = "0..1", paramLabel = "TYPE", description = "full, diff or incr (default: incr).")
        String type;
        @Option(names = "--list", description = "List the backups of the leader's repository instead.")
        boolean list;

        @Override
        public Integer call() {
            if (list && type != null) {
                throw new PigException(PigException.Kind.USAGE, "--list takes no backup type");
            }
            ModelLoader.Loaded loaded = inventory.load();
            PgCluster c = cluster.in(loaded.model());
            Selection sel = whole(run);
            if (list) {
                View view = new View(spec.commandLine().getOut(), spec.commandLine().getErr());
                view.warnings(loaded);
                try (EngineRun r = new EngineRun(loaded, run, sel, false)) {
                    Gathered members = r.probe(Operations.backupsProbe(r.context(), c));
                    members.failures().values().forEach(view::error);
                    view.lines(Operations.backups(r.context(), c, members.facts()));
                    return ExitCodes.OK;
                }
            }
            String t = type == null ? "incr" : type;
            Request req = Request.operation(sel, ctx -> Operation.of(Operations.backup(ctx, c, t)));
            return workflow().apply(loaded, req, Policy.unattended());
        }
    }

    /**
     * {@code pig pgsql pitr CLUSTER --time T}: the whole cluster back to a point in time from the
     * leader's pgBackRest repository; the replicas are cloned again from the restored leader.
     */
    @Command(name = "pitr", description = "Restore the cluster to a point in time (or the latest WAL) from the leader's backups.")
    static final class Pitr extends ClusterVerb {
        @Mixin
        ConfirmOptions confirm;
        @ArgGroup(exclusive = true, multiplicity = "1")
        TargetOption target;
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
            ModelLoader.Loaded loaded = inventory.load();
            PgCluster c = cluster.in(loaded.model());
            PgCluster source = from == null ? c : loaded.model().pgCluster(from).orElseThrow(() -> new PigException(PigException.Kind.USAGE,
                    "--from " + from + ": the inventory has no PostgreSQL cluster of that name"));
            String done = source == c ? "Restored " + c.name() + " to " + t + ". The new timeline has no backup yet: run 'pig pgsql backup "
                    + c.name() + " full'." : "Restored " + c.name() + " from the backups of " + source.name() + " to " + t + "; its own stanza"
                    + " was made again for the new data, with a first full backup.";
            Request req = Request.operation(whole(run), ctx -> Operation.of(Operations.pitr(ctx, c, t, source))).withAfterApply(done);
            return workflow().apply(loaded, req, confirm.policy());
        }
    }

    // ------------------------------------------------------------------------------ day-2 verbs

    /**
     * A verb on a running cluster through Patroni: the members are asked first, the verb refuses
     * or plans from what they answer, and the plan is shown and confirmed like any apply.
     */
    abstract static class ClusterOperation extends ClusterVerb {
        @Mixin
        ConfirmOptions confirm;

        /** The operation on the cluster; {@code loaded} for a verb that checks its arguments against the inventory. */
        abstract Operation operation(ModuleContext ctx, PgCluster c);

        /** What to say once it is applied; empty for nothing. */
        Optional<String> afterApply(PgCluster c) {
            return Optional.empty();
        }

        /** Checks the arguments against the inventory before any host is reached. */
        void check(PgCluster c) {
        }

        @Override
        public Integer call() {
            ModelLoader.Loaded loaded = inventory.load();
            PgCluster c = cluster.in(loaded.model());
            check(c);
            Request req = Request.operation(whole(run), ctx -> operation(ctx, c));
            Optional<String> after = afterApply(c);
            return workflow().apply(loaded, after.isPresent() ? req.withAfterApply(after.get()) : req, confirm.policy());
        }
    }

    /** The instance of {@code c} named by its {@code pg_instance} name ({@code pg-test-2}) or its IP. */
    static PgInstance member(PgCluster c, String nameOrIp) {
        return c.instances().stream().filter(i -> i.name().equals(nameOrIp) || i.ip().equals(nameOrIp)).findFirst()
                .orElseThrow(() -> new PigException(PigException.Kind.USAGE, nameOrIp + " is not an instance of " + c.name() + ": its instances are "
                        + String.join(", ", c.instances().stream().map(i -> i.name() + " (" + i.ip() + ")").toList())));
    }

    /** {@code pig pgsql switchover CLUSTER [--to MEMBER]}. */
    @Command(name = "switchover", description = "Hand the lead of a running cluster to a streaming replica; the old leader follows it.")
    static final class Switchover extends ClusterOperation {
        @Option(names = "--to", paramLabel = "MEMBER", description = "The member to lead (name or IP); the fittest replica when left out.")
        String to;

        @Override
        void check(PgCluster c) {
            if (to != null) {
                member(c, to);
            }
        }

        @Override
        Operation operation(ModuleContext ctx, PgCluster c) {
            return ClusterControl.switchover(ctx, c, Optional.ofNullable(to).map(x -> member(c, x).name()));
        }
    }

    /** {@code pig pgsql failover CLUSTER [--to MEMBER]}: only when no member leads and runs. */
    @Command(name = "failover", description = "Promote a replica of a cluster that has no running leader (refused when one runs,"
            + " or when the replica lags past pg_rpo).")
    static final class Failover extends ClusterOperation {
        @Option(names = "--to", paramLabel = "MEMBER", description = "The member to promote (name or IP); the fittest replica when left out.")
        String to;

        @Override
        void check(PgCluster c) {
            if (to != null) {
                member(c, to);
            }
        }

        @Override
        Operation operation(ModuleContext ctx, PgCluster c) {
            return ClusterControl.failover(ctx, c, Optional.ofNullable(to).map(x -> member(c, x).name()));
        }
    }

    /** {@code pig pgsql restart CLUSTER [MEMBER]}: rolling, replicas first, the leader last in place. */
    @Command(name = "restart", description = "Restart the cluster's members one at a time through Patroni, replicas first; or one member.")
    static final class Restart extends ClusterOperation {
        @Parameters(index = "1", arity = "0..1", paramLabel = "MEMBER", description = "Only this member (name or IP).")
        String only;

        @Override
        void check(PgCluster c) {
            if (only != null) {
                member(c, only);
            }
        }

        @Override
        Operation operation(ModuleContext ctx, PgCluster c) {
            return ClusterControl.restart(ctx, c, Optional.ofNullable(only).map(x -> member(c, x).name()));
        }
    }

    /** {@code pig pgsql reinit MEMBER}: a replica cloned again from its upstream. */
    @Command(name = "reinit", description = "Rebuild a replica: its data directory is removed and cloned again from its upstream.")
    static final class Reinit extends HostsCommand {
        @Mixin
        ConfirmOptions confirm;
        @Parameters(index = "0", paramLabel = "MEMBER", description = "The replica, by pg_instance name (pg-test-2) or IP.")
        String name;

        @Override
        public Integer call() {
            ModelLoader.Loaded loaded = inventory.load();
            PgCluster c = loaded.model().pgClusters().stream().filter(x -> x.instances().stream()
                    .anyMatch(i -> i.name().equals(name) || i.ip().equals(name))).findFirst()
                    .orElseThrow(() -> new PigException(PigException.Kind.USAGE, name + " is no PostgreSQL instance of the inventory:"
                            + " name one by its pg_instance name (pg-test-2) or its IP"));
            PgInstance i = member(c, name);
            Request req = Request.operation(whole(run), ctx -> ClusterControl.reinit(ctx, c, i));
            return workflow().apply(loaded, req, confirm.policy());
        }
    }

    /** {@code pig pgsql pause CLUSTER}: Patroni's maintenance mode. */
    @Command(name = "pause", description = "Put the cluster in maintenance mode: Patroni stops acting on failures until resumed.")
    static final class Pause extends ClusterOperation {
        @Override
        Operation operation(ModuleContext ctx, PgCluster c) {
            return ClusterControl.pause(ctx, c, true);
        }

        @Override
        Optional<String> afterApply(PgCluster c) {
            return Optional.of(c.name() + " is paused: Patroni fails nothing over until 'pig pgsql resume " + c.name() + "'.");
        }
    }

    /** {@code pig pgsql resume CLUSTER}: maintenance mode off. */
    @Command(name = "resume", description = "Take the cluster out of maintenance mode: Patroni acts on failures again.")
    static final class Resume extends ClusterOperation {
        @Override
        Operation operation(ModuleContext ctx, PgCluster c) {
            return ClusterControl.pause(ctx, c, false);
        }
    }

    /** {@code pig pgsql reload CLUSTER [MEMBER]}: Patroni re-reads patroni.yml and reloads PostgreSQL. */
    @Command(name = "reload", description = "Make each member's Patroni re-read patroni.yml and reload PostgreSQL; or one member's.")
    static final class Reload extends ClusterOperation {
        @Parameters(index = "1", arity = "0..1", paramLabel = "MEMBER", description = "Only this member (name or IP).")
        String only;

        @Override
        void check(PgCluster c) {
            if (only != null) {
                member(c, only);
            }
        }

        @Override
        Operation operation(ModuleContext ctx, PgCluster c) {
            return ClusterControl.reload(ctx, c, Optional.ofNullable(only).map(x -> member(c, x)));
        }
    }

    /** {@code pig pgsql promote CLUSTER}: a standby cluster becomes a primary cluster. */
    @Command(name = "promote", description = "Turn a standby cluster (pg_upstream) into a primary cluster that no longer follows its upstream.")
    static final class Promote extends ClusterOperation {
        @Override
        Operation operation(ModuleContext ctx, PgCluster c) {
            return ClusterControl.promote(ctx, c);
        }

        @Override
        Optional<String> afterApply(PgCluster c) {
            String primary = c.primary().map(i -> i.name() + " (" + i.ip() + ")").orElse("its primary");
            return Optional.of(c.name() + " is a primary cluster now, on a new timeline. Remove pg_upstream from " + primary
                    + " in the inventory: until then 'pig deploy' keeps the promotion but still treats " + c.name()
                    + " as a standby cluster (no roles, databases or backup stanza of its own), and a rebuild would follow the"
                    + " upstream again.");
        }
    }

    /**
     * {@code pig pgsql monitor add|rm NAME}: Pigsty's {@code pgsql-monitor.yml}, a PostgreSQL pig
     * does not manage watched by an exporter on an infra node and registered with the labels of
     * pig's own clusters, so the same rules and dashboards cover it.
     */
    @Command(name = "monitor", description = "Monitor a PostgreSQL pig does not manage (an RDS, a server made by hand) from an infra node.",
            subcommands = {Monitor.Add.class, Monitor.Rm.class})
    static final class Monitor implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }

        /** The {@code infra} part of the run: the exporter and its registration are INFRA's. */
        static Selection infra(RunOptions run) {
            run.refuseLimit("name the infra node with --on, not with -l");
            run.refuseTags();
            return Selection.all().withModules(Set.of("infra"));
        }

        /**
         * {@code pig pgsql monitor add NAME --url URL}: the URL is read from stdin when it is
         * {@code -}, so its password is in neither the shell's history nor the process list.
         */
        @Command(name = "add", description = "Run an exporter for the database at --url on an infra node and register it as cluster NAME.")
        static final class Add extends HostsCommand {
            @Mixin
            ApplyOptions apply;
            @Parameters(index = "0", paramLabel = "NAME", description = "The cls and ins label of the database (lowercase letters, digits, '-').")
            String name;
            @Option(names = "--url", required = true, paramLabel = "URL",
                    description = "postgres://user:password@host:port/db of a user with pg_monitor; '-' reads it from stdin.")
            String url;
            @Option(names = "--port", paramLabel = "PORT", description = "The exporter's port (default: its own, else the first free from 20001).")
            Integer port;
            @Option(names = "--on", paramLabel = "HOST", description = "The infra node to run the exporter on (default: the first).")
            String on;

            @Override
            public Integer call() {
                ModelLoader.Loaded loaded = inventory.load();
                dev.pig.core.model.Secret dsn = new dev.pig.core.model.Secret(url.equals("-") ? readLine() : url);
                Request req = Request.operation(infra(run), ctx -> dev.pig.modules.infra.RemoteMonitor.add(ctx, name, dsn,
                        java.util.Optional.ofNullable(port), java.util.Optional.ofNullable(on)));
                return workflow().apply(loaded, req, apply.policy());
            }

            private static String readLine() {
                try {
                    String line = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8))
                            .readLine();
                    if (line == null || line.isBlank()) {
                        throw new PigException(PigException.Kind.USAGE, "--url -: no URL on stdin");
                    }
                    return line.strip();
                } catch (java.io.IOException e) {
                    throw new PigException(PigException.Kind.USAGE, "--url -: stdin cannot be read: " + e.getMessage());
                }
            }
        }

        /** {@code pig pgsql monitor rm NAME}: the exporter stopped, its file and its registration gone, on every infra node. */
        @Command(name = "rm", description = "Stop monitoring NAME: its exporter, its file and its registration go from every infra node.")
        static final class Rm extends HostsCommand {
            @Mixin
            ConfirmOptions confirm;
            @Parameters(index = "0", paramLabel = "NAME", description = "The name given to 'pig pgsql monitor add'.")
            String name;

            @Override
            public Integer call() {
                ModelLoader.Loaded loaded = inventory.load();
                Request req = Request.removal(infra(run), ctx -> dev.pig.modules.infra.RemoteMonitor.remove(ctx, name));
                return workflow().apply(loaded, req, confirm.policy());
            }
        }
    }
}
