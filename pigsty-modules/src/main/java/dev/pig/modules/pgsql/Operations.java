package dev.pig.modules.pgsql;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.pig.core.diag.PigException;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.model.Node;
import dev.pig.core.model.PgCluster;
import dev.pig.core.model.PgInstance;
import dev.pig.core.ssh.Shell;
import dev.pig.core.task.CommandTask;
import dev.pig.core.task.Deferred;
import dev.pig.core.task.PlanContext;
import dev.pig.core.task.Task;
import dev.pig.modules.HostVars;
import dev.pig.modules.ModuleContext;

/**
 * What {@code pig pgsql backup} and {@code pig pgsql pitr} run on a live cluster: operations,
 * not desired state, planned from the same facts (who leads, which backups the leader's
 * repository holds) and shown before they run.
 */
public final class Operations {
    private static final PgsqlModule MODULE = new PgsqlModule();

    private Operations() {
    }

    /** A backup on the live leader: {@code full}, {@code diff} or {@code incr}. */
    public static Map<Node, List<Task>> backup(ModuleContext ctx, PgCluster cluster, String type) {
        if (!List.of("full", "diff", "incr").contains(type)) {
            throw new PigException(PigException.Kind.USAGE, "a backup is full, diff or incr, not '" + type + "'");
        }
        Map<Node, List<Task>> out = new LinkedHashMap<>();
        for (PgInstance i : cluster.instances()) {
            Node n = ctx.model().node(i.ip()).orElseThrow();
            HostVars v = ctx.vars(n);
            requireBackrest(v, cluster);
            Backup.BackrestInfo info = new Backup.BackrestInfo(cluster.name(), v.str("pg_dbsu"));
            Task t = PgsqlModule.leaderOnly(cluster, i, patroni(ctx, cluster), "command " + type + " backup of " + cluster.name(),
                    "pgbackrest_backup", b -> b.sections(info.name()), (facts, pctx) -> {
                        if (!facts.extra(info).stanzaExists()) {
                            throw new PigException(PigException.Kind.FAILED, facts.host() + ": the repository has no stanza "
                                    + cluster.name() + " (" + facts.extra(info).message() + "); run 'pig pgsql add " + cluster.name()
                                    + "' or 'pig deploy -t pgbackrest' first");
                        }
                        return run(type + " backup of " + cluster.name(), Backup.asDbsu(v, "--stanza=" + cluster.name()
                                + " --type=" + type + " backup"), "pgbackrest_backup");
                    });
            out.put(n, new ArrayList<>(List.of(ModuleContext.stage(MODULE, 1, "backup", t))));
        }
        return out;
    }

    /**
     * Where a point-in-time recovery stops: a time, an LSN, a transaction id, a named restore
     * point, or the end of the archived WAL ({@code latest}).
     */
    public record Target(String type, String value) {
        static final DateTimeFormatter TIME = new DateTimeFormatterBuilder().parseCaseInsensitive()
                .appendPattern("yyyy-MM-dd[' ']['T']HH:mm[:ss]").optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 6, true)
                .optionalEnd().optionalStart().appendOffset("+HH:mm", "Z").optionalEnd().optionalStart().appendOffset("+HH", "Z")
                .optionalEnd().toFormatter();

        public Target {
            if (!List.of("time", "lsn", "xid", "name", "latest").contains(type)) {
                throw new PigException(PigException.Kind.USAGE, "a recovery target is time, lsn, xid, name or latest, not " + type);
            }
            if (type.equals("time")) {
                instant(value);
            } else if (type.equals("lsn") && !value.matches("[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}")) {
                throw new PigException(PigException.Kind.USAGE, "'" + value + "' is not an LSN like 0/3000060");
            } else if (type.equals("xid") && !value.matches("\\d+")) {
                throw new PigException(PigException.Kind.USAGE, "'" + value + "' is not a transaction id");
            }
        }

        /** The target time as an instant; a time without an offset is UTC. */
        static Instant instant(String value) {
            try {
                var parsed = TIME.parseBest(value.trim(), OffsetDateTime::from, java.time.LocalDateTime::from);
                return parsed instanceof OffsetDateTime o ? o.toInstant() : ((java.time.LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw new PigException(PigException.Kind.USAGE, "'" + value + "' is not a time like 2026-12-01 10:00:00+00 ("
                        + e.getMessage() + ")");
            }
        }

        /** pgbackrest's restore options for this target. */
        String options() {
            if (type.equals("latest")) {
                return "--type=default";
            }
            // pgbackrest takes milliseconds at most and an offset in hours
            String v = type.equals("time") ? DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
                    .format(instant(value).atOffset(ZoneOffset.UTC)) + "+00" : value;
            return "--type=" + type + " --target=" + Shell.quote(v) + " --target-action=promote";
        }

        @Override
        public String toString() {
            return type.equals("latest") ? "the end of the archived WAL" : type + " " + value;
        }
    }

    /**
     * A point-in-time recovery of the whole cluster from the live leader's repository: every
     * member stopped (replicas first), the leader's data restored by pgBackRest to the target and
     * promoted there, the cluster's state in etcd reset so Patroni takes the restored data as a
     * new leader, then the replicas cloned again from it. The replicas' data is replaced: that is
     * what bringing a cluster back in time means.
     */
    public static Map<Node, List<Task>> pitr(ModuleContext ctx, PgCluster cluster, Target target) {
        PatroniCluster section = patroni(ctx, cluster);
        Map<Node, List<Task>> out = new LinkedHashMap<>();
        for (PgInstance me : cluster.instances()) {
            Node n = ctx.model().node(me.ip()).orElseThrow();
            HostVars v = ctx.vars(n);
            requireBackrest(v, cluster);
            Backup.BackrestInfo info = new Backup.BackrestInfo(cluster.name(), v.str("pg_dbsu"));
            String dbsu = v.str("pg_dbsu");
            String data = v.str("pg_data");
            String bin = PgPackages.binDir(v.integer("pg_version"));
            String psql = "su -s /bin/sh " + dbsu + " -c " + Shell.quote("psql -h " + v.str("pg_localhost") + " -p " + me.port()
                    + " -d postgres -AtXq -c \"SELECT pg_is_in_recovery()\"");
            String api = "http://127.0.0.1:" + v.integer("patroni_port");
            List<Task> tasks = new ArrayList<>();

            // a PostgreSQL running without Patroni (a recovery stopped half way) is stopped too
            String stop = "systemctl stop patroni.service; if [ -f " + data + "/postmaster.pid ]; then su -s /bin/sh " + dbsu + " -c "
                    + Shell.quote(bin + "/pg_ctl -D " + data + " -w -t 120 stop -m fast") + " || true; fi; "
                    + "for i in $(seq 60); do [ -f " + data + "/postmaster.pid ] || exit 0; sleep 1; done; "
                    + "echo 'postgres did not stop in 60 s' >&2; exit 1";
            tasks.add(ModuleContext.stage(MODULE, 1, "pitr stop replicas", onRole(cluster, me, section, false,
                    "stop patroni on " + me.name(), lead -> stop)));
            tasks.add(ModuleContext.stage(MODULE, 2, "pitr stop leader", PgsqlModule.leaderOnly(cluster, me, section,
                    "command stop patroni on the leader", "pg_pitr", b -> b.sections(info.name()), (facts, pctx) -> {
                        checkRestorable(facts, facts.extra(info), target, cluster);
                        return run("stop patroni on " + me.name(), stop, "pg_pitr");
                    })));

            // pgbackrest writes restore_command and the target into postgresql.auto.conf; once promoted they
            // must go, or every replica cloned from here would stop at the same target
            StringBuilder reset = new StringBuilder();
            for (String p : List.of("restore_command", "recovery_target", "recovery_target_lsn", "recovery_target_name",
                    "recovery_target_time", "recovery_target_xid", "recovery_target_inclusive", "recovery_target_action",
                    "recovery_target_timeline")) {
                // one -c each: ALTER SYSTEM cannot run in the transaction several statements share
                reset.append(" -c \"ALTER SYSTEM RESET ").append(p).append('"');
            }
            String pgctl = bin + "/pg_ctl -D " + data;
            String restore = "set -e; " + Backup.asDbsu(v, "--stanza=" + cluster.name() + " --delta " + target.options() + " restore") + "; "
                    + "su -s /bin/sh " + dbsu + " -c " + Shell.quote(pgctl + " -l /pg/log/pitr.log -w -t 3600 start") + "; "
                    + "for i in $(seq 3600); do [ \"$(" + psql + ")\" = f ] && break; sleep 1; done; "
                    + "[ \"$(" + psql + ")\" = f ] || { echo 'the restored instance did not reach the target and promote; see /pg/log/pitr.log' >&2; exit 1; }; "
                    + "su -s /bin/sh " + dbsu + " -c " + Shell.quote("psql -h " + v.str("pg_localhost") + " -p " + me.port()
                    + " -d postgres -AtXq" + reset) + "; "
                    + "su -s /bin/sh " + dbsu + " -c " + Shell.quote(pgctl + " -w -t 600 stop -m fast");
            tasks.add(ModuleContext.stage(MODULE, 3, "pitr restore", PgsqlModule.leaderOnly(cluster, me, section,
                    "command restore the leader", "pg_pitr", b -> { }, (facts, pctx) -> run("restore " + me.name() + " to "
                            + target, restore, "pg_pitr"))));

            // Patroni adopts existing data when the cluster has no state in etcd
            String forget = "cd /tmp && printf '%s\\n' " + Shell.quote(cluster.name()) + " 'Yes I am aware' | su -s /bin/sh " + dbsu
                    + " -c 'patronictl -c /etc/patroni/patroni.yml remove " + cluster.name() + "' >/dev/null";
            tasks.add(ModuleContext.stage(MODULE, 4, "pitr reset dcs", PgsqlModule.leaderOnly(cluster, me, section,
                    "command forget the cluster state in etcd", "pg_pitr", b -> { }, (facts, pctx) -> run("forget the etcd state of "
                            + cluster.name(), forget, "pg_pitr"))));
            String lead = "systemctl start patroni.service; for i in $(seq 300); do curl -sf -o /dev/null " + api + "/primary && exit 0; "
                    + "sleep 1; done; echo 'patroni did not lead on the restored data in 300 s' >&2; exit 1";
            tasks.add(ModuleContext.stage(MODULE, 5, "pitr start leader", PgsqlModule.leaderOnly(cluster, me, section,
                    "command start the leader", "pg_pitr", b -> { }, (facts, pctx) -> run("start " + me.name() + " on the restored data",
                            lead, "pg_pitr"))));
            String streams = "su -s /bin/sh " + dbsu + " -c " + Shell.quote("psql -h " + v.str("pg_localhost") + " -p " + me.port()
                    + " -d postgres -AtXq -c \"SELECT status FROM pg_stat_wal_receiver\"") + " 2>/dev/null | grep -q streaming";
            // the data goes only once the restored leader answers as the primary: a recovery that failed
            // on the leader leaves every replica as it was
            java.util.function.Function<String, String> reclone = leader -> "curl -sf -o /dev/null http://" + leader + ":"
                    + v.integer("patroni_port") + "/primary || { echo 'the restored leader " + leader + " does not answer as the primary;"
                    + " this replica keeps its data' >&2; exit 1; }; "
                    + "find " + data + " -mindepth 1 -maxdepth 1 -exec rm -rf {} +; systemctl start patroni.service; "
                    + "for i in $(seq 600); do " + streams + " && exit 0; sleep 1; done; "
                    + "echo 'the replica does not stream from the restored leader after 600 s' >&2; exit 1";
            tasks.add(ModuleContext.stage(MODULE, 6, "pitr start replicas", onRole(cluster, me, section, false,
                    "clone " + me.name() + " again from the restored leader", reclone)));
            out.put(n, tasks);
        }
        return out;
    }

    /** Refuses a target no backup of the leader's repository can reach. */
    static void checkRestorable(HostFacts facts, Backup.BackrestInfo.View info, Target target, PgCluster cluster) {
        if (info.backups().isEmpty()) {
            throw new PigException(PigException.Kind.FAILED, facts.host() + ": the repository of the leader holds no backup of "
                    + cluster.name() + " (" + info.message() + "); nothing to restore from");
        }
        if (target.type().equals("time")) {
            long t = Target.instant(target.value()).getEpochSecond();
            long first = info.backups().get(0).stop();
            if (t < first) {
                throw new PigException(PigException.Kind.USAGE, "the oldest backup of " + cluster.name() + " ended at "
                        + Instant.ofEpochSecond(first) + ", after the target " + target.value() + ": no backup can be recovered to it");
            }
        }
    }

    /** @param cmd the command, given the live leader's IP */
    private static Task onRole(PgCluster cluster, PgInstance me, PatroniCluster section, boolean leader, String name,
                               java.util.function.Function<String, String> cmd) {
        return new Deferred("command " + name, "pg_pitr", b -> b.sections(section.name()), (facts, pctx) -> {
            String lead = PgsqlModule.leaderIp(cluster, pctx, section);
            if (lead.isEmpty()) {
                throw new PigException(PigException.Kind.FAILED, "no member of " + cluster.name() + " leads: a recovery starts from a running cluster");
            }
            if (lead.equals(me.ip()) != leader) {
                return PgsqlModule.skip(name, leader ? "done on the replicas" : "done on the leader " + lead, "pg_pitr");
            }
            return run(name, cmd.apply(lead), "pg_pitr");
        });
    }

    private static Task run(String name, String command, String tag) {
        return CommandTask.unlessFacts(name, b -> { }, f -> false, "", command, tag);
    }

    private static void requireBackrest(HostVars v, PgCluster cluster) {
        if (!v.bool("pgbackrest_enabled")) {
            throw new PigException(PigException.Kind.USAGE, "pgbackrest_enabled is false for " + cluster.name() + ": it has no backups");
        }
    }

    private static PatroniCluster patroni(ModuleContext ctx, PgCluster c) {
        HostVars v = ctx.vars(ctx.model().node(c.instances().get(0).ip()).orElseThrow());
        return new PatroniCluster(c.name(), v.integer("patroni_port"), c.instances().stream().map(PgInstance::ip).toList());
    }

    /** Who leads the cluster, as the Patroni facts of any member say. */
    public static Optional<String> leaderOf(Map<String, HostFacts> fleet, PgCluster cluster, ModuleContext ctx) {
        return PgsqlModule.liveLeader(new PlanContext(dev.pig.core.plan.Masker.none(), fleet), patroni(ctx, cluster));
    }

    /** Backups of a host's repository, as lines of a table. */
    public static List<String> backupTable(HostFacts facts, PgCluster cluster, ModuleContext ctx) {
        HostVars v = ctx.vars(ctx.model().node(cluster.instances().get(0).ip()).orElseThrow());
        Backup.BackrestInfo.View view = facts.extra(new Backup.BackrestInfo(cluster.name(), v.str("pg_dbsu")));
        List<String> lines = new ArrayList<>();
        lines.add("stanza " + cluster.name() + " on " + facts.host() + ": " + view.message());
        if (view.backups().isEmpty()) {
            return lines;
        }
        lines.add(String.format("%-26s %-5s %-20s %-20s", "LABEL", "TYPE", "START (UTC)", "STOP (UTC)"));
        DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
        for (Backup.BackrestInfo.Item b : view.backups()) {
            lines.add(String.format("%-26s %-5s %-20s %-20s", b.label(), b.type(), f.format(Instant.ofEpochSecond(b.start())),
                    f.format(Instant.ofEpochSecond(b.stop()))));
        }
        return lines;
    }

    /** The fact sections {@link #leaderOf} and {@link #backupTable} read, to gather on the members. */
    public static List<String> sections(PgCluster cluster, ModuleContext ctx) {
        return List.of(patroni(ctx, cluster).name(), Backup.BackrestInfo.nameOf(cluster.name()));
    }
}
