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

import dev.pig.core.diag.PigException;
import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.model.Node;
import dev.pig.core.model.PgCluster;
import dev.pig.core.model.PgInstance;
import dev.pig.core.ssh.Shell;
import dev.pig.core.task.CommandTask;
import dev.pig.core.task.Deferred;
import dev.pig.core.task.PlanContext;
import dev.pig.core.task.Skip;
import dev.pig.core.task.Task;
import dev.pig.modules.HostVars;
import dev.pig.modules.ModuleContext;

/**
 * What {@code pig pgsql backup} and {@code pig pgsql pitr} run on a live cluster: operations,
 * not desired state, planned from the same facts (who leads, which backups the leader's
 * repository holds) and shown before they run.
 */
public final class Operations {
    private Operations() {
    }

    /** A backup on the live leader: {@code full}, {@code diff} or {@code incr}. */
    public static Map<Node, List<Task>> backup(ModuleContext ctx, PgCluster cluster, String type) {
        if (!List.of("full", "diff", "incr").contains(type)) {
            throw new PigException(PigException.Kind.USAGE, "a backup is full, diff or incr, not '" + type + "'");
        }
        Map<Node, List<Task>> out = new LinkedHashMap<>();
        for (PgInstance i : cluster.instances()) {
            PgNode n = PgNode.of(ctx, cluster, i);
            requireBackrest(n.v(), cluster);
            BackrestInfo info = n.facts().backrest();
            Task t = Leader.only(n, "command " + type + " backup of " + cluster.name(), "pgbackrest_backup", b -> b.sections(info.name()),
                    (facts, pctx) -> {
                        if (!facts.extra(info).stanzaExists()) {
                            throw new PigException(PigException.Kind.FAILED, facts.host() + ": the repository has no stanza "
                                    + cluster.name() + " (" + facts.extra(info).message() + "); run 'pig pgsql add " + cluster.name()
                                    + "' or 'pig deploy -t pgbackrest' first");
                        }
                        return CommandTask.always(type + " backup of " + cluster.name(), n.pg().pgbackrest("--stanza=" + cluster.name(),
                                "--type=" + type, "backup"), "pgbackrest_backup");
                    });
            out.put(ctx.model().node(i.ip()).orElseThrow(), new ArrayList<>(List.of(Stage.of(1, "backup", t))));
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

        /** pgbackrest's restore options for this target, one argument each. */
        List<String> options() {
            if (type.equals("latest")) {
                return List.of("--type=default");
            }
            // pgbackrest takes milliseconds at most and an offset in hours
            String v = type.equals("time") ? DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
                    .format(instant(value).atOffset(ZoneOffset.UTC)) + "+00" : value;
            return List.of("--type=" + type, "--target=" + v, "--target-action=promote");
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
        return pitr(ctx, cluster, target, cluster);
    }

    /**
     * A point-in-time recovery of {@code cluster} from the backups of {@code from}: another
     * cluster's stanza in the same repository (Pigsty's clone from backup), read through the
     * repository options of {@code cluster}'s own pgbackrest.conf. The restored data keeps
     * {@code from}'s system identifier; {@code cluster}'s stanza is made on it afterwards.
     */
    public static Map<Node, List<Task>> pitr(ModuleContext ctx, PgCluster cluster, Target target, PgCluster from) {
        if (from != cluster) {
            sameRepository(ctx, cluster, from);
        }
        Map<Node, List<Task>> out = new LinkedHashMap<>();
        for (PgInstance me : cluster.instances()) {
            PgNode n = PgNode.of(ctx, cluster, me);
            HostVars v = n.v();
            requireBackrest(v, cluster);
            BackrestInfo info = from == cluster ? n.facts().backrest() : new BackrestInfo(from.name(), n.pg());
            Postgres pg = n.pg();
            Patroni patroni = n.patroni();
            String pid = Shell.quote(v.str("pg_data") + "/postmaster.pid");
            String inRecovery = pg.query("postgres", "SELECT pg_is_in_recovery()");
            List<Task> tasks = new ArrayList<>();

            // a PostgreSQL running without Patroni (a recovery stopped half way) is stopped too; a
            // postmaster.pid no process holds (left by a power loss, before Patroni started the server
            // again) is removed, since pgBackRest refuses to restore beside one
            String stop = "systemctl stop patroni.service; if [ -f " + pid + " ]; then " + pg.pgctl("-w", "-t", "120", "stop", "-m", "fast")
                    + " >/dev/null 2>&1 || true; fi; for i in $(seq 60); do if ! " + pg.pgctl("status") + " >/dev/null 2>&1; then rm -f "
                    + pid + "; exit 0; fi; sleep 1; done; echo 'postgres did not stop in 60 s' >&2; exit 1";
            tasks.add(Stage.of(1, "pitr stop replicas", onRole(n, false, "stop patroni on " + me.name(), lead -> stop)));
            tasks.add(Stage.of(2, "pitr stop leader", Leader.only(n, "command stop patroni on the leader", "pg_pitr",
                    b -> b.sections(info.name()), (facts, pctx) -> {
                        checkRestorable(facts, facts.extra(info), target, from);
                        return CommandTask.always("stop patroni on " + me.name(), stop, "pg_pitr");
                    })));

            // pgbackrest writes restore_command and the target into postgresql.auto.conf; once promoted they
            // must go, or every replica cloned from here would stop at the same target. One statement
            // at a time: ALTER SYSTEM cannot run in a transaction several statements share.
            StringBuilder reset = new StringBuilder();
            for (String p : List.of("restore_command", "recovery_target", "recovery_target_lsn", "recovery_target_name",
                    "recovery_target_time", "recovery_target_xid", "recovery_target_inclusive", "recovery_target_action",
                    "recovery_target_timeline", "archive_mode")) {
                reset.append("ALTER SYSTEM RESET ").append(p).append(";\n");
            }
            List<String> restoreArgs = new ArrayList<>(List.of("--stanza=" + from.name(), "--delta"));
            if (from != cluster) {
                // the stanza of another cluster: its section is not in this cluster's pgbackrest.conf; and the
                // restored data, promoted here, must not archive its new timeline into the other cluster's stanza
                // with the archive_command it came with
                restoreArgs.add("--pg1-path=" + v.str("pg_data"));
                restoreArgs.add("--archive-mode=off");
            }
            restoreArgs.addAll(target.options());
            restoreArgs.add("restore");
            // stdin is the SQL for psql at the end: nothing before it reads it
            String restore = "set -e\n" + pg.pgbackrest(restoreArgs.toArray(String[]::new)) + " </dev/null\n"
                    + pg.pgctl("-l", "/pg/log/pitr.log", "-w", "-t", "3600", "start") + " </dev/null\n"
                    + "for i in $(seq 3600); do [ \"$(" + inRecovery + ")\" = f ] && break; sleep 1; done\n"
                    + "[ \"$(" + inRecovery + ")\" = f ] || { echo 'the restored instance did not reach the target and promote;"
                    + " see /pg/log/pitr.log' >&2; exit 1; }\n"
                    + pg.psql("postgres") + "\n"
                    + pg.pgctl("-w", "-t", "600", "stop", "-m", "fast") + "\n";
            tasks.add(Stage.of(3, "pitr restore", Leader.only(n, "command restore the leader", "pg_pitr", b -> { },
                    (facts, pctx) -> CommandTask.always("restore " + me.name() + " to " + target, restore, "pg_pitr")
                            .withInput(reset.toString()))));

            // Patroni adopts existing data when the cluster has no state in etcd
            String forget = "printf '%s\\n' " + Shell.quote(cluster.name()) + " 'Yes I am aware' | "
                    + pg.patronictl("remove", cluster.name()) + " >/dev/null";
            tasks.add(Stage.of(4, "pitr reset dcs", Leader.only(n, "command forget the cluster state in etcd", "pg_pitr", b -> { },
                    (facts, pctx) -> CommandTask.always("forget the etcd state of " + cluster.name(), forget, "pg_pitr"))));
            if (from != cluster) {
                // the data is from's, with its system identifier: the stanza made for the data it replaced no longer
                // fits it. It goes while PostgreSQL is stopped (no archiver holds its lock), is made again once the
                // restored data leads, with a first full backup (pg-backup init)
                String name = cluster.name();
                // a cluster that never made its stanza has none to drop; one that cannot be dropped shows when it is
                // made again, with pgBackRest's reason
                String drop = pg.pgbackrest("--stanza=" + name, "stop") + " || true; " + pg.pgbackrest("--stanza=" + name, "--force", "stanza-delete")
                        + " || true; " + pg.pgbackrest("--stanza=" + name, "start");
                tasks.add(Stage.of(4, "pitr reset dcs", Leader.only(n, "command drop the stanza of " + name, "pg_pitr", b -> { },
                        (facts, pctx) -> CommandTask.always("drop the stanza " + name + ", made for the data replaced by " + from.name() + "'s",
                                drop, "pg_pitr"))));
            }
            String lead = "systemctl start patroni.service; for i in $(seq 300); do " + patroni.answers("127.0.0.1", "primary")
                    + " && exit 0; sleep 1; done; echo 'patroni did not lead on the restored data in 300 s' >&2; exit 1";
            tasks.add(Stage.of(5, "pitr start leader", Leader.only(n, "command start the leader", "pg_pitr", b -> { },
                    (facts, pctx) -> CommandTask.always("start " + me.name() + " on the restored data", lead, "pg_pitr"))));
            if (from != cluster) {
                tasks.add(Stage.of(5, "pitr start leader", Leader.only(n, "command the stanza of " + cluster.name() + " for its new data", "pg_pitr",
                        b -> { }, (facts, pctx) -> CommandTask.always("stanza " + cluster.name() + " and a first full backup of its new data",
                                pg.script(Backup.SCRIPT, "init", "--wait"), "pg_pitr"))));
            }
            String streams = pg.streams();
            // the data goes only once the restored leader answers as the primary: a recovery that failed
            // on the leader leaves every replica as it was
            java.util.function.Function<String, String> reclone = leader -> patroni.answers(Shell.quote(leader), "primary") + " || { echo "
                    + Shell.quote("the restored leader " + leader + " does not answer as the primary; this replica keeps its data")
                    + " >&2; exit 1; }; "
                    + "find " + Shell.quote(v.str("pg_data")) + " -mindepth 1 -maxdepth 1 -exec rm -rf {} +; systemctl start patroni.service; "
                    + "for i in $(seq 600); do " + streams + " && exit 0; sleep 1; done; "
                    + "echo 'the replica does not stream from the restored leader after 600 s' >&2; exit 1";
            tasks.add(Stage.of(6, "pitr start replicas", onRole(n, false, "clone " + me.name() + " again from the restored leader", reclone)));
            out.put(ctx.model().node(me.ip()).orElseThrow(), tasks);
        }
        return out;
    }

    /** Refuses a restore from a cluster whose backups are in another repository than this cluster's. */
    static void sameRepository(ModuleContext ctx, PgCluster cluster, PgCluster from) {
        HostVars mine = ctx.vars(ctx.model().node(cluster.instances().get(0).ip()).orElseThrow());
        HostVars theirs = ctx.vars(ctx.model().node(from.instances().get(0).ip()).orElseThrow());
        requireBackrest(theirs, from);
        Map<String, String> a = Backup.repo(mine);
        Map<String, String> b = Backup.repo(theirs);
        for (String k : List.of("type", "path", "s3-endpoint", "s3-bucket", "storage-port", "cipher-type", "cipher-pass")) {
            if (!java.util.Objects.equals(a.get(k), b.get(k))) {
                throw new PigException(PigException.Kind.USAGE, cluster.name() + " and " + from.name() + " back up to different repositories ("
                        + k + " differs): " + cluster.name() + " can restore only backups of its own repository. Give both the same"
                        + " pgbackrest_method and pgbackrest_repo entry.");
            }
        }
        if (!"s3".equals(a.get("type"))) {
            throw new PigException(PigException.Kind.USAGE, "the repository of " + from.name() + " is on its own members ("
                    + mine.str("pgbackrest_method") + "): only a shared repository, like S3 (pgbackrest_method: minio), holds backups"
                    + " another cluster can restore");
        }
    }

    /** Refuses a target no backup of the leader's repository can reach. */
    static void checkRestorable(HostFacts facts, BackrestInfo.View info, Target target, PgCluster cluster) {
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

    /**
     * A command on the replicas, given the live leader's IP; a recovery starts from a running
     * cluster, so with no member leading it is refused.
     */
    private static Task onRole(PgNode n, boolean leader, String name, java.util.function.Function<String, String> cmd) {
        PatroniCluster section = n.facts().members();
        return new Deferred("command " + name, "pg_pitr", b -> b.sections(section.name()), (facts, pctx) -> {
            String lead = Leader.live(pctx, section).orElseThrow(() -> new PigException(PigException.Kind.FAILED, "no member of "
                    + n.cluster().name() + " leads: a recovery starts from a running cluster"));
            if (lead.equals(n.me().ip()) != leader) {
                return new Skip("command " + name, "pg_pitr", leader ? "on the replicas only: " + n.me().name() + " leads"
                        : Leader.elsewhere(lead));
            }
            return CommandTask.always(name, cmd.apply(lead), "pg_pitr");
        });
    }

    private static void requireBackrest(HostVars v, PgCluster cluster) {
        if (!v.bool("pgbackrest_enabled")) {
            throw new PigException(PigException.Kind.USAGE, "pgbackrest_enabled is false for " + cluster.name() + ": it has no backups");
        }
    }

    /** {@code pig pgsql backup --list}: what to ask each member: who leads, and what its repository holds. */
    public static Map<Node, FactRequest> backupsProbe(ModuleContext ctx, PgCluster cluster) {
        ClusterFacts f = ClusterFacts.of(ctx, cluster);
        FactRequest req = FactRequest.builder().sections(f.members().name(), f.backrest().name()).build();
        Map<Node, FactRequest> out = new LinkedHashMap<>();
        cluster.instances().forEach(i -> out.put(ctx.model().node(i.ip()).orElseThrow(), req));
        return out;
    }

    /**
     * The backups of the live leader's repository, as lines of a table, from what the members
     * answered to {@link #backupsProbe}.
     *
     * @throws PigException ({@code UNAVAILABLE}) when no member answers as the leader, or the leader did not answer
     */
    public static List<String> backups(ModuleContext ctx, PgCluster cluster, Map<String, HostFacts> fleet) {
        ClusterFacts cf = ClusterFacts.of(ctx, cluster);
        String leader = Leader.live(new PlanContext(dev.pig.core.plan.Masker.none(), fleet), cf.members())
                .orElseThrow(() -> new PigException(PigException.Kind.UNAVAILABLE, "no member of " + cluster.name()
                        + " answers as its leader; its backups are listed from the leader's repository"));
        HostFacts facts = fleet.values().stream().filter(x -> x.host().equals(leader)).findFirst().orElseThrow(() ->
                new PigException(PigException.Kind.UNAVAILABLE, "the leader " + leader + " of " + cluster.name() + " could not be reached"));
        BackrestInfo.View view = facts.extra(cf.backrest());
        List<String> lines = new ArrayList<>();
        lines.add("stanza " + cluster.name() + " on " + facts.host() + ": " + view.message());
        if (view.backups().isEmpty()) {
            return lines;
        }
        lines.add(String.format("%-26s %-5s %-20s %-20s", "LABEL", "TYPE", "START (UTC)", "STOP (UTC)"));
        DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
        for (BackrestInfo.Item b : view.backups()) {
            lines.add(String.format("%-26s %-5s %-20s %-20s", b.label(), b.type(), f.format(Instant.ofEpochSecond(b.start())),
                    f.format(Instant.ofEpochSecond(b.stop()))));
        }
        return lines;
    }
}
