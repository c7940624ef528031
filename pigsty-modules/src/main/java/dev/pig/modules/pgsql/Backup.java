package dev.pig.modules.pgsql;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.pig.core.diag.PigException;
import dev.pig.core.fact.FactSection;
import dev.pig.core.fact.FileState;
import dev.pig.core.model.PgCluster;
import dev.pig.core.model.PgInstance;
import dev.pig.core.ssh.Shell;
import dev.pig.core.task.CommandTask;
import dev.pig.core.task.Deferred;
import dev.pig.core.task.DirectoryTask;
import dev.pig.core.task.FileTask;
import dev.pig.core.task.SymlinkTask;
import dev.pig.core.task.Task;
import dev.pig.core.task.Absent;
import dev.pig.modules.HostVars;
import dev.pig.modules.ModuleContext;

/**
 * Backups with pgBackRest ({@code pgbackrest_enabled}): the repository {@code pgbackrest_method}
 * names in {@code pgbackrest_repo}, WAL archived by {@code archive_command}, the stanza created
 * on the leader, a full backup right after (once, {@code pgbackrest_init_backup}), and the
 * schedule of {@code pg_crontab} in the dbsu's crontab:
 *
 * <pre>
 * pgbackrest_method: local
 * pgbackrest_repo:
 *   local: { path: /pg/backup, retention_full_type: count, retention_full: 2 }
 * pg_crontab: [ '00 01 * * * /pg/bin/pg-backup full' ]
 * </pre>
 *
 * With the {@code local} method each member keeps its own repository under
 * {@code pg_fs_backup}, linked from {@code /pg/backup}; the leader is the one that backs up.
 * Patroni's {@code on_role_change} callback ({@code /pg/bin/pg-role-change}) readies the
 * repository of a member that becomes the primary, by a switchover or a failover: the stanza at
 * once, so WAL archiving goes on, then a first full backup. A deploy afterwards finds both there.
 */
final class Backup {
    static final String CONF_DIR = "/etc/pgbackrest";
    static final String CONF = CONF_DIR + "/pgbackrest.conf";
    static final String SCRIPT = "/pg/bin/pg-backup";
    static final String ROLE_CHANGE = "/pg/bin/pg-role-change";
    static final String LOCAL_REPO_LINK = "/pg/backup";

    private Backup() {
    }

    /** The command PostgreSQL archives WAL with, or empty when pgBackRest is off. */
    static String archiveCommand(PgCluster cluster, HostVars v) {
        return v.bool("pgbackrest_enabled") ? "pgbackrest --stanza=" + cluster.name() + " archive-push %p" : "";
    }

    /** The callback Patroni runs when this member's role changes, or empty when pgBackRest is off. */
    static String roleChangeCallback(HostVars v) {
        return v.bool("pgbackrest_enabled") ? ROLE_CHANGE : "";
    }

    /** A command line run as the dbsu, from a directory it may read. */
    static String asDbsuSh(HostVars v, String command) {
        return "cd /tmp && su -s /bin/sh " + v.str("pg_dbsu") + " -c " + Shell.quote(command);
    }

    /** The pgbackrest command line, as the dbsu, for a shell on the host. */
    static String asDbsu(HostVars v, String args) {
        return asDbsuSh(v, "pgbackrest " + args);
    }

    /** The repository options of {@code pgbackrest_method}, as {@code repo1-} keys want them. */
    static Map<String, String> repo(HostVars v) {
        String method = v.str("pgbackrest_method");
        Object entry = v.dict("pgbackrest_repo").get(method);
        if (!(entry instanceof Map<?, ?> m)) {
            throw new PigException(PigException.Kind.USAGE, "pgbackrest_method is '" + method + "' but pgbackrest_repo has no entry '"
                    + method + "'; add it or pick one of " + String.join(", ", v.dict("pgbackrest_repo").keySet()));
        }
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, x) -> out.put(String.valueOf(k).replace('_', '-'),
                x instanceof Boolean b ? (b ? "y" : "n") : String.valueOf(x)));
        return out;
    }

    static List<Task> tasks(ModuleContext ctx, PgCluster cluster, PgInstance me, HostVars v, BackrestInfo info,
                            LeaderGate leader) {
        String dbsu = v.str("pg_dbsu");
        List<Task> out = new ArrayList<>();
        Map<String, String> repo = repo(v);
        String path = repo.getOrDefault("path", LOCAL_REPO_LINK);
        boolean posix = !repo.containsKey("type") || repo.get("type").equals("posix");
        if (posix && path.equals(LOCAL_REPO_LINK)) {
            // the repository lives on the backup disk, as in Pigsty: /pg/backup -> /data/backups/postgres/pg-test-15
            String base = v.str("pg_fs_backup");
            String dir = base + "/postgres/" + cluster.name() + "-" + v.integer("pg_version");
            out.add(new DirectoryTask(base, "0755", "root", "root", "pgbackrest_config"));
            out.add(new DirectoryTask(base + "/postgres", "0750", dbsu, dbsu, "pgbackrest_config"));
            out.add(new DirectoryTask(dir, "0750", dbsu, dbsu, "pgbackrest_config"));
            out.add(new SymlinkTask(LOCAL_REPO_LINK, dir, "pgbackrest_config"));
        } else if (posix) {
            out.add(new DirectoryTask(path, "0750", dbsu, dbsu, "pgbackrest_config"));
        }
        out.add(new DirectoryTask(v.str("pgbackrest_log_dir"), "0750", dbsu, dbsu, "pgbackrest_config"));
        out.add(new DirectoryTask(CONF_DIR, "0755", "root", "root", "pgbackrest_config"));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", me.name());
        m.put("cluster", cluster.name());
        m.put("method", v.str("pgbackrest_method"));
        m.put("repo", repo);
        m.put("log_dir", v.str("pgbackrest_log_dir"));
        m.put("spool_dir", "/pg/spool");
        m.put("process_max", 2);
        m.put("data_dir", v.str("pg_data"));
        m.put("port", me.port());
        m.put("socket_dir", v.str("pg_localhost"));
        m.put("dbsu", dbsu);
        boolean secret = repo.keySet().stream().anyMatch(k -> k.contains("secret") || k.contains("pass") || k.endsWith("key"));
        out.add(ctx.file(CONF, "pgsql/pgbackrest.conf.ftl", m, "0600", dbsu, dbsu, "pgbackrest_config", secret));
        out.add(ctx.file(SCRIPT, "pgsql/pg-backup.ftl", Map.of("cluster", cluster.name(), "socket_dir", v.str("pg_localhost"),
                "port", me.port(), "dbsu", dbsu), "0755", dbsu, dbsu, "pgbackrest_config", false));

        boolean initBackup = v.bool("pgbackrest_init_backup");
        out.add(ctx.file(ROLE_CHANGE, "pgsql/pg-role-change.ftl", Map.of("cluster", cluster.name(),
                "mode", initBackup ? "init" : "stanza", "log", v.str("pgbackrest_log_dir") + "/pg-role-change.log"),
                "0755", dbsu, dbsu, "pgbackrest_config", false));

        if (cluster.primary().flatMap(PgInstance::upstream).isPresent()) {
            // a standby cluster archives no WAL of its own until it is promoted, and its callback readies it then
            out.add(PgsqlModule.skip("pgbackrest stanza " + cluster.name(), cluster.name()
                    + " is a standby cluster: its stanza is made when it is promoted", "pgbackrest_init"));
            return out;
        }
        out.add(leader.only("command pgbackrest stanza " + cluster.name(), "pgbackrest_init", b -> b.sections(info.name()),
                (facts, pctx) -> {
                    BackrestInfo.View now = facts.extra(info);
                    return CommandTask.unlessFacts("pgbackrest stanza " + cluster.name(), b -> { }, f -> now.stanzaExists(),
                            "stanza " + cluster.name() + " exists (" + now.message() + ")", asDbsuSh(v, SCRIPT + " stanza"),
                            "pgbackrest_init");
                }));
        if (initBackup) {
            out.add(leader.only("command pgbackrest first backup", "pgbackrest_backup", b -> b.sections(info.name()),
                    (facts, pctx) -> {
                        BackrestInfo.View now = facts.extra(info);
                        String why = now.running() ? "a backup of " + cluster.name() + " runs"
                                : "the repository holds " + now.backups().size() + " backup(s), the last " + now.last();
                        return CommandTask.unlessFacts("first full backup of " + cluster.name(), b -> { },
                                f -> !now.backups().isEmpty() || now.running(), why, asDbsuSh(v, SCRIPT + " init"), "pgbackrest_backup");
                    }));
        }
        return out;
    }

    /** The dbsu's crontab from {@code pg_crontab}; an emptied list removes the one pig wrote, never another. */
    static Task crontab(ModuleContext ctx, HostVars v) {
        String dbsu = v.str("pg_dbsu");
        String path = "/var/spool/cron/crontabs/" + dbsu;
        List<String> entries = v.strings("pg_crontab");
        if (!entries.isEmpty()) {
            return ctx.file(path, "pgsql/dbsu-crontab.ftl", Map.of("dbsu", dbsu, "entries", entries), "0600", dbsu, "crontab",
                    "pg_crontab", false);
        }
        return new Deferred("file " + path, "pg_crontab", b -> b.fileWithContent(path), (facts, pctx) -> {
            FileState f = facts.file(path);
            boolean ours = f.knownContent().map(c -> new String(c, StandardCharsets.UTF_8).startsWith("# crontab of " + dbsu
                    + ": managed by pig")).orElse(false);
            if (ours) {
                return new Absent(path, "pg_crontab");
            }
            return PgsqlModule.skip("file " + path, "pg_crontab is empty" + (f.exists() ? " and " + path + " is not pig's" : ""),
                    "pg_crontab");
        });
    }

    /** A task planned on the cluster's live leader only, as {@link PgsqlModule} decides who leads. */
    interface LeaderGate {
        Task only(String name, String tag, java.util.function.Consumer<dev.pig.core.fact.FactRequest.Builder> require,
                  java.util.function.BiFunction<dev.pig.core.fact.HostFacts, dev.pig.core.task.PlanContext, Task> then);
    }

    /**
     * What {@code pgbackrest info} says of the cluster's stanza on one host: whether it exists and
     * the backups it holds. Empty when pgBackRest is not installed or not configured there.
     */
    static final class BackrestInfo implements FactSection<BackrestInfo.View> {
        private static final ObjectMapper JSON = new ObjectMapper();
        private final String cluster;
        private final String script;

        /** A backup of the repository. */
        record Item(String label, String type, long start, long stop) {
        }

        /**
         * @param code pgbackrest's stanza status: 0 ok, 1 missing stanza path, 2 no valid backups,
         *             3 missing stanza data, ...; -1 when pgbackrest did not answer
         * @param running whether a backup holds the stanza's backup lock now
         */
        record View(int code, String message, List<Item> backups, boolean running) {
            boolean stanzaExists() {
                return code == 0 || code == 2;
            }

            String last() {
                return backups.isEmpty() ? "none" : backups.get(backups.size() - 1).label();
            }
        }

        BackrestInfo(String cluster, String dbsu) {
            this.cluster = cluster;
            this.script = "command -v pgbackrest >/dev/null 2>&1 && [ -f " + CONF + " ] || exit 0\n"
                    + "cd /tmp && su -s /bin/sh " + dbsu + " -c 'pgbackrest --stanza=" + cluster + " --output=json info' 2>/dev/null; true\n";
        }

        static String nameOf(String cluster) {
            return "pgsql.backup." + cluster;
        }

        @Override
        public String name() {
            return nameOf(cluster);
        }

        @Override
        public String script() {
            return script;
        }

        @Override
        public View parse(String output) {
            String s = output.strip();
            if (!s.startsWith("[")) {
                return new View(-1, "pgbackrest is not set up here", List.of(), false);
            }
            try {
                JsonNode stanza = JSON.readTree(s).path(0);
                List<Item> items = new ArrayList<>();
                for (JsonNode b : stanza.path("backup")) {
                    items.add(new Item(b.path("label").asText(), b.path("type").asText().toLowerCase(Locale.ROOT),
                            b.path("timestamp").path("start").asLong(), b.path("timestamp").path("stop").asLong()));
                }
                return new View(stanza.path("status").path("code").asInt(-1), stanza.path("status").path("message").asText(""),
                        List.copyOf(items), stanza.path("status").path("lock").path("backup").path("held").asBoolean(false));
            } catch (java.io.IOException e) {
                return new View(-1, "pgbackrest info printed no JSON", List.of(), false);
            }
        }
    }
}
