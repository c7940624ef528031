package dev.pig.modules.pgsql;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.pig.core.diag.PigException;
import dev.pig.core.fact.FileState;
import dev.pig.core.model.PgCluster;
import dev.pig.core.pki.CertificateAuthority;
import dev.pig.core.ssh.Shell;
import dev.pig.core.task.CommandTask;
import dev.pig.core.task.Deferred;
import dev.pig.core.task.DirectoryTask;
import dev.pig.core.task.FileTask;
import dev.pig.core.task.Skip;
import dev.pig.core.task.SymlinkTask;
import dev.pig.core.task.Task;
import dev.pig.core.task.Absent;
import dev.pig.modules.HostVars;
import dev.pig.modules.minio.S3Endpoint;

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
    /** Which repository pgbackrest.conf names, without its secrets: a change of it is a move to a new repository. */
    static final String REPO_ID = CONF_DIR + "/repository";
    static final String SCRIPT = "/pg/bin/pg-backup";
    static final String ROLE_CHANGE = "/pg/bin/pg-role-change";
    static final String LOCAL_REPO_LINK = "/pg/backup";

    private Backup() {
    }

    /** The command PostgreSQL archives WAL with, or empty when pgBackRest is off. */
    static String archiveCommand(PgNode n) {
        return n.v().bool("pgbackrest_enabled") ? "pgbackrest --stanza=" + n.cluster().name() + " archive-push %p" : "";
    }

    /**
     * The command Patroni's {@code pgbackrest} replica method runs: the newest backup restored into
     * the empty data directory as a standby, which then replays the archive and streams from the
     * leader; empty when pgBackRest is off.
     */
    static String replicaRestore(PgNode n) {
        if (!n.v().bool("pgbackrest_enabled")) {
            return "";
        }
        // Patroni splits the command like a shell and runs it without one; a reinit has removed the data
        // directory, which pgbackrest restores into but does not make
        return "sh -c 'mkdir -p -m 0700 \"$0\" && exec pgbackrest --stanza=" + n.cluster().name() + " --delta --type=standby restore' "
                + Shell.quote(n.v().str("pg_data"));
    }

    /** The callback Patroni runs when this member's role changes, or empty when pgBackRest is off. */
    static String roleChangeCallback(HostVars v) {
        return v.bool("pgbackrest_enabled") ? ROLE_CHANGE : "";
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
        m.forEach((k, x) -> {
            // a key becomes "repo1-<key>=" in pgbackrest.conf: validation allows only option names
            String key = String.valueOf(k).replace('_', '-');
            out.put(key, x instanceof Boolean b ? (b ? "y" : "n") : String.valueOf(x));
        });
        return out;
    }

    /** The repository, its config, pig's backup scripts, the stanza and a first full backup on the leader. */
    static List<Task> tasks(PgNode n) {
        HostVars v = n.v();
        PgCluster cluster = n.cluster();
        String dbsu = n.dbsu();
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
        } else if ("s3".equals(repo.get("type"))) {
            out.addAll(s3(n, repo));
        }
        out.add(new DirectoryTask(v.str("pgbackrest_log_dir"), "0750", dbsu, dbsu, "pgbackrest_config"));
        out.add(new DirectoryTask(CONF_DIR, "0755", "root", "root", "pgbackrest_config"));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pg_instance", n.me().name());
        m.put("pg_cluster", cluster.name());
        m.put("pgbackrest_method", v.str("pgbackrest_method"));
        m.put("pgbackrest_repo", repo);
        m.put("pgbackrest_log_dir", v.str("pgbackrest_log_dir"));
        m.put("spool_path", "/pg/spool");
        m.put("process_max", 2);
        m.put("pg_data", v.str("pg_data"));
        m.put("pg_port", n.me().port());
        m.put("pg_localhost", v.str("pg_localhost"));
        m.put("pg_dbsu", dbsu);
        boolean secret = repo.keySet().stream().anyMatch(k -> k.contains("secret") || k.contains("pass") || k.endsWith("key"));
        out.add(dev.pig.core.task.FileTask.of(REPO_ID, repositoryId(v.str("pgbackrest_method"), repo), "0644", "pgbackrest_config"));
        out.add(n.ctx().file(CONF, "pgsql/pgbackrest.conf.ftl", m, "0600", dbsu, dbsu, "pgbackrest_config", secret));
        out.add(n.ctx().file(SCRIPT, "pgsql/pg-backup.ftl", Map.of("pg_cluster", cluster.name(), "pg_localhost", v.str("pg_localhost"),
                "pg_port", n.me().port(), "pg_dbsu", dbsu), "0755", dbsu, dbsu, "pgbackrest_config", false));

        boolean initBackup = v.bool("pgbackrest_init_backup");
        out.add(n.ctx().file(ROLE_CHANGE, "pgsql/pg-role-change.ftl", Map.of("pg_cluster", cluster.name(),
                "mode", initBackup ? "init" : "stanza", "log_file", v.str("pgbackrest_log_dir") + "/pg-role-change.log"),
                "0755", dbsu, dbsu, "pgbackrest_config", false));

        if (n.standbyCluster()) {
            // a standby cluster archives no WAL of its own until it is promoted, and its callback readies it then
            out.add(new Skip("command pgbackrest stanza " + cluster.name(), "pgbackrest_init", cluster.name()
                    + " is a standby cluster: its stanza is made when it is promoted"));
            return out;
        }
        BackrestInfo info = n.facts().backrest();
        Postgres pg = n.pg();
        out.add(Leader.only(n, "command pgbackrest stanza " + cluster.name(), "pgbackrest_init", b -> b.sections(info.name()).files(REPO_ID),
                (facts, pctx) -> {
                    BackrestInfo.View now = facts.extra(info);
                    // a repository that changes in this plan (local to minio) is a new one: what pgbackrest said
                    // of the old one tells nothing of it
                    boolean moved = moved(facts, pctx);
                    return CommandTask.unlessFacts("pgbackrest stanza " + cluster.name(), b -> { }, f -> now.stanzaExists() && !moved,
                            "stanza " + cluster.name() + " exists (" + now.message() + ")", pg.script(SCRIPT, "stanza"), "pgbackrest_init");
                }));
        if (initBackup) {
            out.add(Leader.only(n, "command pgbackrest first backup", "pgbackrest_backup", b -> b.sections(info.name()).files(REPO_ID),
                    (facts, pctx) -> {
                        BackrestInfo.View now = facts.extra(info);
                        String why = now.running() ? "a backup of " + cluster.name() + " runs"
                                : "the repository holds " + now.backups().size() + " backup(s), the last " + now.last();
                        boolean moved = moved(facts, pctx);
                        return CommandTask.unlessFacts("first full backup of " + cluster.name(), b -> { },
                                f -> !moved && (!now.backups().isEmpty() || now.running()), why, pg.script(SCRIPT, "init"), "pgbackrest_backup");
                    }));
        }
        return out;
    }

    /** The repository's identity: its type and where it is, never a secret. */
    static String repositoryId(String method, Map<String, String> repo) {
        StringBuilder b = new StringBuilder("# the repository of pgbackrest.conf (pgbackrest_method: " + method + "): managed by pig\n");
        for (String k : List.of("type", "path", "s3-endpoint", "s3-bucket", "storage-port", "cipher-type")) {
            if (repo.containsKey(k)) {
                b.append(k).append('=').append(repo.get(k).replaceAll("[\\r\\n]", " ")).append('\n');
            }
        }
        return b.toString();
    }

    /**
     * Whether this plan moves the cluster to another repository ({@code local} to {@code minio}):
     * what pgbackrest said of the old one tells nothing of the new one, which gets its stanza and a
     * first full backup, while archiving follows pgbackrest.conf with no restart.
     */
    static boolean moved(dev.pig.core.fact.HostFacts facts, dev.pig.core.task.PlanContext pctx) {
        return facts.file(REPO_ID).exists() && pctx.firstChanged(List.of(REPO_ID)) != null;
    }

    /**
     * What an S3 repository needs on a member: when the endpoint is an object store of the
     * inventory serving TLS, the CA that issued its certificates at {@code storage_ca_file} (NODE
     * keeps it at Pigsty's {@code /etc/pki/ca.crt} already); otherwise, that the endpoint takes
     * connections from this member, or the plan stops here with the reason, before anything is
     * changed.
     */
    static List<Task> s3(PgNode n, Map<String, String> repo) {
        List<Task> out = new ArrayList<>();
        String endpoint = repo.getOrDefault("s3-endpoint", "");
        String caFile = repo.getOrDefault("storage-ca-file", "");
        java.util.Optional<S3Endpoint> store = S3Endpoint.of(n.ctx(), endpoint);
        if (store.isPresent() && !store.get().https()) {
            throw new PigException(PigException.Kind.USAGE, "pgbackrest_repo." + n.v().str("pgbackrest_method") + " of " + n.cluster().name()
                    + " names " + endpoint + ", which serves plain http (minio_https: false): pgBackRest reaches S3 over https only."
                    + " Set minio_https: true for " + store.get().cluster().name());
        }
        store.ifPresent(st -> st.checkCredentials(repo.getOrDefault("s3-key", ""), repo.getOrDefault("s3-key-secret", ""),
                "pgbackrest_repo." + n.v().str("pgbackrest_method") + " of " + n.cluster().name()));
        if (store.isPresent() && store.get().https() && !caFile.isEmpty()) {
            if (!caFile.equals(CertificateAuthority.ON_NODES)) {
                String dir = caFile.substring(0, Math.max(1, caFile.lastIndexOf('/')));
                if (!dir.equals("/etc") && !dir.equals("/")) {
                    out.add(new DirectoryTask(dir, "0755", "root", "root", "pgbackrest_config"));
                }
                out.add(new FileTask(caFile, n.ctx().ca(n.v()).pem(), "0644", "root", "root", "pgbackrest_config", false));
            }
        } else if (store.isEmpty()) {
            S3Probe probe = n.facts().s3();
            String port = repo.getOrDefault("storage-port", "443");
            out.add(new Deferred("command reach " + endpoint + ":" + port, "pgbackrest_config", b -> b.sections(probe.name()), (facts, pctx) -> {
                S3Probe.View v = facts.extra(probe);
                if (!v.open()) {
                    throw new PigException(PigException.Kind.FAILED, facts.host() + ": the S3 endpoint " + endpoint + ":" + port
                            + " of pgbackrest_repo." + n.v().str("pgbackrest_method") + " takes no connection from here (" + v.detail()
                            + "); nothing was changed. Check s3_endpoint and storage_port, the network, or deploy the object store first");
                }
                return new Skip("command reach " + endpoint + ":" + port, "pgbackrest_config", endpoint + ":" + port + " takes connections");
            }));
        }
        return out;
    }

    /** The dbsu's crontab from {@code pg_crontab}; an emptied list removes the one pig wrote, never another. */
    static Task crontab(PgNode n) {
        String dbsu = n.dbsu();
        String path = "/var/spool/cron/crontabs/" + dbsu;
        List<String> entries = n.v().strings("pg_crontab");
        if (!entries.isEmpty()) {
            return n.ctx().file(path, "pgsql/dbsu-crontab.ftl", Map.of("pg_dbsu", dbsu, "pg_crontab", entries), "0600", dbsu, "crontab",
                    "pg_crontab", false);
        }
        return new Deferred("file " + path, "pg_crontab", b -> b.fileWithContent(path), (facts, pctx) -> {
            FileState f = facts.file(path);
            boolean ours = f.knownContent().map(c -> new String(c, StandardCharsets.UTF_8).startsWith("# crontab of " + dbsu
                    + ": managed by pig")).orElse(false);
            if (ours) {
                return new Absent(path, "pg_crontab");
            }
            return new Skip("file " + path, "pg_crontab", "pg_crontab is empty" + (f.exists() ? " and " + path + " is not pig's" : ""));
        });
    }
}
