package dev.pig.modules.pgsql;

import dev.pig.core.model.EtcdCluster;
import dev.pig.core.model.PgCluster;
import dev.pig.core.model.Secret;
import dev.pig.core.task.CertificateTask;
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

    /** The instance's client certificate for etcd, and its key (the dbsu's): see {@link #certificate}. */
    static final String CERT = Paths.PG_LINK + "/cert/etcd.crt";
    static final String KEY = Paths.PG_LINK + "/cert/etcd.key";

    /**
     * What Patroni and etcdctl on an instance's host prove themselves with when etcd serves https
     * ({@code etcd_tls}): the instance's etcd client certificate; null for plain http.
     */
    static Etcdctl.Tls tls(HostVars v) {
        return v.bool("etcd_tls") ? new Etcdctl.Tls(Paths.PG_LINK + "/cert/ca.crt", CERT, KEY) : null;
    }

    /**
     * The instance's client certificate for etcd, its key made by the dbsu beside the server's.
     * Its subject has no common name ({@code /O=pig/OU=pg-test-1}): etcd refuses a request through
     * its HTTP gateway, which Patroni speaks, from a certificate with one when it checks client
     * certificates, and a common name would name an etcd user besides.
     */
    static Task certificate(PgNode n) {
        String request = CertificateTask.requestFor(n.pg()::asDbsu, KEY, "/O=pig/OU=" + n.me().name());
        return new CertificateTask(CERT, KEY, request, java.util.List.of("IP:" + n.me().ip()),
                dev.pig.core.pki.CertificateAuthority.days(n.v().raw("cert_validity")), n.ctx().ca(n.v()).certificate(), "0644", n.dbsu(),
                java.util.List.of(), "pg_cert");
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
