package dev.pig.modules.pgsql;

import dev.pig.core.model.EtcdCluster;
import dev.pig.core.model.PgCluster;
import dev.pig.core.model.Secret;
import dev.pig.core.task.CommandTask;
import dev.pig.core.task.Task;
import dev.pig.modules.HostVars;
import dev.pig.modules.etcd.Etcdctl;

/**
 * The cluster's own etcd user: named after the cluster, with {@code pg_etcd_password} (the
 * cluster's name when empty, as in Pigsty), allowed to read and write the cluster's keys under
 * {@code pg_namespace} only. Patroni logs in to etcd as it; pig makes it through etcd's root.
 */
final class DcsUser {
    private DcsUser() {
    }

    static String name(PgCluster cluster) {
        return cluster.name();
    }

    static Secret password(HostVars v, PgCluster cluster) {
        String pw = v.str("pg_etcd_password");
        return new Secret(pw.isBlank() ? cluster.name() : pw);
    }

    /**
     * What etcdctl on an instance's host proves itself with when etcd serves https
     * ({@code etcd_tls}): the instance's own certificate, which the CA issues for clients too;
     * null for plain http.
     */
    static Etcdctl.Tls tls(HostVars v) {
        String dir = Paths.PG_LINK + "/cert";
        return v.bool("etcd_tls") ? new Etcdctl.Tls(dir + "/ca.crt", dir + "/server.crt", dir + "/server.key") : null;
    }

    /** Where the cluster's keys live: {@code /pg/pg-test/}. */
    static String prefix(HostVars v, PgCluster cluster) {
        return v.str("pg_namespace") + "/" + cluster.name() + "/";
    }

    /**
     * The user, its role and its permission, made (or its password reset) through etcd's root,
     * unless the user can already read its prefix. Both passwords reach etcdctl on the step's
     * stdin: etcdctl reads a new user's password there with {@code --interactive=false}.
     */
    static Task task(EtcdCluster etcd, PgCluster cluster, HostVars v) {
        String user = name(cluster);
        String prefix = prefix(v, cluster);
        Etcdctl ctl = Etcdctl.of(etcd, tls(v));
        String check = ctl.withUser(user, password(v, cluster), "get", prefix, "--prefix", "--keys-only", "--limit=1")
                + " >/dev/null 2>&1";
        String root = "ETCDCTL_USER=\"$pig_root\" ";
        String cmd = "IFS= read -r pig_root && IFS= read -r pig_pw || { echo 'no etcd credentials on stdin' >&2; exit 1; }\n"
                // etcd answers 'context deadline exceeded' while it is busy (a fresh member syncing, a
                // loaded host): each step is idempotent, so the whole is tried again before it fails
                + "for i in 1 2 3; do (\n"
                + "  set -e\n"
                + "  " + root + ctl.plain("user", "get", user) + " >/dev/null 2>&1 || printf '%s\\n' \"$pig_pw\" | " + root
                + ctl.plain("user", "add", user, "--interactive=false") + "\n"
                + "  printf '%s\\n' \"$pig_pw\" | " + root + ctl.plain("user", "passwd", user, "--interactive=false") + "\n"
                + "  " + root + ctl.plain("role", "get", user) + " >/dev/null 2>&1 || " + root + ctl.plain("role", "add", user) + "\n"
                + "  " + root + ctl.plain("role", "grant-permission", user, "readwrite", prefix, "--prefix=true") + "\n"
                + "  " + root + ctl.plain("user", "grant-role", user, user) + "\n"
                + ") && exit 0; sleep 3; done; exit 1\n";
        String input = "root:" + v.secret("etcd_root_password").reveal() + "\n" + password(v, cluster).reveal() + "\n";
        return CommandTask.unless("etcd user " + user, check, cmd, "pg_etcd").withInput(input);
    }
}
