package dev.pig.modules.pgsql;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.pig.core.model.Net;
import dev.pig.core.model.Node;
import dev.pig.core.model.PgInstance;
import dev.pig.core.model.PgService;
import dev.pig.core.plan.Step;
import dev.pig.core.pki.CertificateAuthority;
import dev.pig.core.task.CertificateTask;
import dev.pig.core.task.Task;

/**
 * An instance's server certificate ({@code pg_cert}), issued by the inventory's CA for a key the
 * dbsu makes on the host and keeps there. Its names are every name a client may use to reach the
 * instance: its own and its node's, the cluster's, each HAProxy service of the cluster
 * ({@code pg-test-primary}), the IP of every node that publishes those services (any member, or
 * the {@code pg_service_provider} nodes) and the VIP, so {@code sslmode=verify-full} holds
 * whichever way a client comes in. PostgreSQL and PgBouncer read it again on a reload.
 */
final class ServerCert {
    private ServerCert() {
    }

    static Task task(PgNode n, String certDir) {
        String crt = certDir + "/server.crt";
        String key = certDir + "/server.key";
        CertificateAuthority ca = n.ctx().ca(n.v());
        // made by the dbsu in its own directory: the key never leaves it and root never writes there
        String request = CertificateTask.request(n.pg()::asDbsu, key, n.me().name());
        List<Step> reload = new ArrayList<>();
        reload.add(new Step.Exec("if " + n.pg().pgctl("status") + " >/dev/null 2>&1; then " + n.pg().pgctl("reload", "-s") + "; fi",
                "pg_ctl reload (when PostgreSQL runs)"));
        if (n.v().bool("pgbouncer_enabled") && !n.v().str("pgbouncer_sslmode").equals("disable")) {
            reload.add(new Step.Exec("if systemctl -q is-active " + Pgbouncer.UNIT + "; then systemctl reload " + Pgbouncer.UNIT + "; fi",
                    "systemctl reload " + Pgbouncer.UNIT + " (when it runs)"));
        }
        return new CertificateTask(crt, key, request, names(n), CertificateAuthority.days(n.v().raw("cert_validity")),
                ca.certificate(), "0644", n.dbsu(), reload, "pg_cert");
    }

    /** The subject alternative names of the instance's certificate. */
    static List<String> names(PgNode n) {
        Set<String> dns = new LinkedHashSet<>();
        Set<String> ips = new LinkedHashSet<>();
        dns.add("localhost");
        ips.add("127.0.0.1");
        dns.add(n.me().name());
        n.ctx().model().node(n.me().ip()).map(Node::nodename).filter(s -> !s.isEmpty()).ifPresent(dns::add);
        dns.add(n.cluster().name());
        for (PgService s : n.cluster().services()) {
            dns.add(n.cluster().name() + "-" + s.name());
        }
        for (PgInstance i : n.cluster().instances()) {
            (Net.isIp(i.ip()) ? ips : dns).add(i.ip());
        }
        Object group = n.ctx().model().value(n.me().ip(), "pg_service_provider");
        if (group != null && !String.valueOf(group).isBlank()) {
            n.ctx().model().nodes().stream().filter(x -> x.groups().contains(String.valueOf(group)))
                    .forEach(x -> (Net.isIp(x.id()) ? ips : dns).add(x.id()));
        }
        n.cluster().vipAddress().map(a -> a.replaceFirst("/.*", "")).ifPresent(ips::add);
        List<String> out = new ArrayList<>();
        // a name that is no host name (a value left to Ansible's templating) cannot be in a certificate
        dns.stream().filter(Net::isHostname).forEach(d -> out.add("DNS:" + d));
        ips.forEach(i -> out.add("IP:" + i));
        return out;
    }
}
