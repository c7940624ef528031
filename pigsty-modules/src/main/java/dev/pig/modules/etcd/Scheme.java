package dev.pig.modules.etcd;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.pig.core.diag.PigException;
import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.FileState;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.model.Node;
import dev.pig.core.model.PgCluster;
import dev.pig.core.model.PgInstance;
import dev.pig.core.task.PlanContext;
import dev.pig.modules.Deployment;
import dev.pig.modules.ModuleContext;
import dev.pig.modules.pgsql.PgsqlModule;

/**
 * Whether a member serves https after this run ({@code etcd_tls}), judged from its config file.
 *
 * <ul>
 *   <li>A new member, or one already on https: https.</li>
 *   <li>A member that runs plain http with its data (a cluster deployed before, or with
 *       {@code etcd_tls: false}): moved to https in this run, by its rolling restart, when the
 *       run also carries every PostgreSQL instance of the inventory, whose Patroni talks to etcd:
 *       their clusters pause before the first member moves and their Patroni restart on https
 *       (PGSQL's {@code PatroniDcs}). Otherwise it stays on http, and the plan says why.</li>
 *   <li>With {@code etcd_tls: false}, http; a member on https is refused: pig does not move a
 *       cluster back to plain http.</li>
 * </ul>
 */
final class Scheme {
    private final ModuleContext ctx;
    private final boolean tls;
    private final String memberDir;

    Scheme(ModuleContext ctx, boolean tls, String memberDir) {
        this.ctx = ctx;
        this.tls = tls;
        this.memberDir = memberDir;
    }

    FactRequest.Builder require(FactRequest.Builder b) {
        return b.fileWithContent(EtcdModule.CONF).files(memberDir);
    }

    /** Whether the member's file says it serves https. */
    static boolean servesHttps(HostFacts facts) {
        FileState conf = facts.file(EtcdModule.CONF);
        return conf.exists() && conf.content() != null
                && new String(conf.content(), StandardCharsets.UTF_8).contains("\nclient-transport-security:");
    }

    /** A member that has run on plain http: its data and a file without TLS. */
    boolean runsHttp(HostFacts facts) {
        FileState conf = facts.file(EtcdModule.CONF);
        return facts.file(memberDir).exists() && conf.exists() && conf.content() != null && !servesHttps(facts);
    }

    /** Whether the member serves https once this run is done. */
    boolean https(HostFacts facts, PlanContext pctx) {
        if (!tls) {
            if (facts.file(memberDir).exists() && servesHttps(facts)) {
                throw new PigException(PigException.Kind.USAGE, facts.host() + ": etcd serves https here, and etcd_tls is false:"
                        + " pig does not move a running etcd back to plain http; set etcd_tls: true (or remove the cluster and deploy it anew)");
            }
            return false;
        }
        return !runsHttp(facts) || blocker(pctx).isEmpty();
    }

    /** Why a member on plain http stays there in this run although {@code etcd_tls} is on; empty otherwise. */
    Optional<String> waiting(HostFacts facts, PlanContext pctx) {
        return tls && runsHttp(facts) ? blocker(pctx) : Optional.empty();
    }

    /** Whether this run moves the member from plain http to https. */
    boolean moving(HostFacts facts, PlanContext pctx) {
        return tls && runsHttp(facts) && blocker(pctx).isEmpty();
    }

    /**
     * Why a running http cluster cannot move to https in this run: a PostgreSQL instance whose
     * Patroni would lose etcd is not part of it (not selected, not reached, or its patroni.yml not
     * planned). Empty when the move can go ahead.
     */
    Optional<String> blocker(PlanContext pctx) {
        List<String> outside = new ArrayList<>();
        for (PgCluster c : ctx.model().pgClusters()) {
            for (PgInstance i : c.instances()) {
                Optional<Node> node = ctx.model().node(i.ip());
                HostFacts f = node.map(n -> pctx.fleet().get(Deployment.target(n).host())).orElse(null);
                if (f == null || !f.request().fileContents().contains(PgsqlModule.PATRONI_CONF)) {
                    outside.add(i.name());
                }
            }
        }
        if (outside.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("etcd stays on plain http in this run: moving it to https needs every PostgreSQL instance whose Patroni"
                + " uses it in the same run (pig deploy with the pgsql module), and " + String.join(", ", outside)
                + (outside.size() == 1 ? " is" : " are") + " not");
    }
}
