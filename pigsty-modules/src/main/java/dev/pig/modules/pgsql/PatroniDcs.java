package dev.pig.modules.pgsql;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.plan.Action;
import dev.pig.core.ssh.Shell;
import dev.pig.core.task.Deferred;
import dev.pig.core.task.FileTask;
import dev.pig.core.task.PlanContext;
import dev.pig.core.task.Skip;
import dev.pig.core.task.Staged;
import dev.pig.core.task.Task;
import dev.pig.core.model.PgInstance;
import dev.pig.modules.Deployment;
import dev.pig.modules.etcd.EtcdModule;

/**
 * Patroni's way to etcd, the {@code etcd3} block of patroni.yml (hosts, protocol, certificates),
 * which Patroni reads only when it starts: a reload changes its password alone. When the block of
 * a running member changes (etcd moved to https, {@code etcd_tls}), its Patroni restarts with the
 * cluster in maintenance mode, where a Patroni that stops leaves PostgreSQL running and the
 * leader key in place, and a Patroni that loses etcd does not demote its leader:
 *
 * <ol>
 *   <li>{@code 29.90 pgsql pause for etcd} ({@link #pause}): ahead of ETCD's stages, which may
 *       move etcd to https one member at a time, while this Patroni still speaks http.</li>
 *   <li>in the config stage, after patroni.yml is written ({@link #restart}): the new settings
 *       are tried from the host (etcd answers over them), Patroni restarts and is waited for
 *       until it answers and the DCS lists it again.</li>
 *   <li>{@code dcs resume} ({@link #resume}), once every member has restarted: the pause is
 *       lifted, unless the cluster was paused before the run.</li>
 * </ol>
 *
 * Whether Patroni speaks https after the run ({@link #https}) follows etcd: as the run leaves
 * etcd when it carries every member ({@link EtcdModule#httpsAfterRun}); otherwise https when
 * etcd answers over it from this host already, or for a new instance, and http for a running
 * Patroni whose etcd still serves plain http.
 */
final class PatroniDcs {
    static final String TAG = "pg_conf";
    private final PgNode n;
    private final String answersHttps;
    private final String probeHttps;
    private final PatroniYml yml;
    private FileTask rendered;
    private HostFacts renderedFor;
    private PlanContext renderedIn;

    /** @param yml the instance's patroni.yml before tuning */
    PatroniDcs(PgNode n, PatroniYml yml) {
        this.n = n;
        this.yml = yml;
        String dir = Paths.PG_LINK + "/cert";
        // whether any member answers https, through the gateway Patroni speaks, with this instance's client certificate
        this.probeHttps = "for ep in "
                + Shell.join(n.ctx().model().etcd().map(e -> e.members().stream().map(m -> m.ip() + ":" + m.port()).toList()).orElse(List.of()))
                + "; do curl -s -m 3 --cacert " + dir + "/ca.crt --cert " + DcsUser.CERT + " --key " + DcsUser.KEY
                + " -X POST -d '{}' \"https://$ep/v3/maintenance/status\" | grep -q '\"version\"' && exit 0; done; false";
        // at once when Patroni already speaks https: no probe in a converged cluster's plan
        this.answersHttps = "grep -qs '^  protocol: https' " + Paths.PATRONI_CONF + " || { " + probeHttps + "; }";
    }

    /** patroni.yml as this run writes it: tuned to the host, on etcd as {@link #https} says. */
    synchronized FileTask file(HostFacts facts, PlanContext pctx) {
        // rendered once per plan: the file task and the pause, restart and resume all ask for it
        if (rendered == null || renderedFor != facts || renderedIn != pctx) {
            rendered = n.ctx().file(Paths.PATRONI_CONF, "pgsql/patroni.yml.ftl", yml.tuned(facts, n.v()).withEtcdTls(https(facts, pctx)),
                    "0600", n.dbsu(), n.dbsu(), "pg_conf", false);
            renderedFor = facts;
            renderedIn = pctx;
        }
        return rendered;
    }

    /** Whether Patroni reaches etcd over https once the run is done. */
    boolean https(HostFacts facts, PlanContext pctx) {
        if (!n.v().bool("etcd_tls") || n.ctx().model().etcd().isEmpty()) {
            return false;
        }
        Optional<byte[]> now = facts.file(Paths.PATRONI_CONF).knownContent();
        // etcd never goes back to http: a Patroni on https stays there
        if (now.isPresent() && block(new String(now.get(), StandardCharsets.UTF_8)).contains("protocol: https")) {
            return true;
        }
        // as the run leaves etcd when it carries every member; else as etcd answers now, and a new
        // instance as the inventory says
        return EtcdModule.httpsAfterRun(n.ctx(), pctx).orElseGet(() -> facts.check(checkCommand()) || now.isEmpty());
    }

    /** The facts check behind {@link #https}: run as a subshell, so its {@code exit} ends only the check. */
    String checkCommand() {
        return "( " + answersHttps + " )";
    }

    void require(FactRequest.Builder b) {
        b.fileWithContent(Paths.PATRONI_CONF).units("patroni.service").sections(n.facts().live().name()).checks(checkCommand());
    }

    /** The etcd3 block of a patroni.yml: its line and the indented lines after it. */
    static String block(String yml) {
        StringBuilder b = new StringBuilder();
        boolean in = false;
        for (String line : yml.split("\n")) {
            if (line.startsWith("etcd3:")) {
                in = true;
            } else if (in && !line.isEmpty() && !Character.isWhitespace(line.charAt(0))) {
                break;
            }
            if (in && !line.strip().startsWith("#")) {
                b.append(line).append('\n');
            }
        }
        return b.toString();
    }

    /** Why the running Patroni must restart for its DCS settings; empty when it need not. */
    Optional<String> cause(HostFacts facts, PlanContext pctx) {
        Optional<byte[]> now = facts.file(Paths.PATRONI_CONF).knownContent();
        if (now.isEmpty() || !facts.unit("patroni.service").active()) {
            return Optional.empty();
        }
        String before = block(new String(now.get(), StandardCharsets.UTF_8));
        String after = block(new String(file(facts, pctx).content(), StandardCharsets.UTF_8));
        if (before.equals(after)) {
            return Optional.empty();
        }
        return Optional.of(after.contains("protocol: https") && !before.contains("protocol: https")
                ? "Patroni moves to etcd over https" : "Patroni's etcd settings change");
    }

    /**
     * Whether this member speaks for its cluster: the first instance, by {@code pg_seq}, that the
     * run reaches with its Patroni running. The pause and the resume go through it alone: Patroni
     * refuses a config change that races another one (409).
     */
    private boolean speaker(PlanContext pctx) {
        for (PgInstance i : n.cluster().instances().stream().sorted(java.util.Comparator.comparingInt(PgInstance::seq)).toList()) {
            HostFacts f = n.ctx().model().node(i.ip()).map(x -> pctx.fleet().get(Deployment.target(x).host())).orElse(null);
            if (f != null && f.request().units().contains("patroni.service") && f.unit("patroni.service").active()) {
                return i.name().equals(n.me().name());
            }
        }
        return false;
    }

    private boolean pausedBefore(HostFacts facts) {
        return Boolean.TRUE.equals(facts.extra(n.facts().live()).config().get("pause"));
    }

    /** Stage {@code 29.90}: the cluster paused before ETCD's stages, when this member's Patroni must restart. */
    Staged pause() {
        String name = "pause " + n.cluster().name() + " for etcd";
        return Stage.ahead("pause for etcd", new Deferred("command " + name, TAG, this::require, (facts, pctx) -> {
            Optional<String> cause = cause(facts, pctx);
            if (cause.isEmpty()) {
                return new Skip(name, TAG, "Patroni's etcd settings are unchanged");
            }
            if (pausedBefore(facts)) {
                return new Skip(name, TAG, n.cluster().name() + " is paused already");
            }
            if (!speaker(pctx)) {
                return new Skip(name, TAG, "the cluster's first running member pauses it");
            }
            Patroni p = n.patroni();
            return new PatroniCall("command " + name, TAG, Action.UPDATE,
                    "pause " + n.cluster().name() + " (maintenance mode) while " + cause.get() + ": no failover, no demotion"
                    + " while etcd or Patroni restart", p, List.of(p.pause(true), membersPaused(p)));
        }));
    }

    /**
     * Waits until every member whose Patroni answers says it is paused itself: a member learns
     * of the pause from the DCS in its next loop, and once etcd speaks https it cannot read the
     * DCS until its Patroni restarts, so a member that had not seen the pause by then would
     * never be restarted ({@link #restart}).
     */
    private String membersPaused(Patroni p) {
        // paused, or not answering at all: a member whose Patroni does not run is not restarted
        StringBuilder b = new StringBuilder(p.prelude())
                .append("self_paused() { r=$(get \"$1\" patroni) || return 0; printf '%s' \"$r\" | grep -q '\"pause\": true'; }\n");
        for (dev.pig.core.model.PgInstance i : n.cluster().instances()) {
            b.append("upto 60 self_paused ").append(Shell.quote(i.ip()))
                    .append(" || fail ").append(Shell.quote(i.name() + "'s Patroni does not say it is paused 60 s after the DCS did"))
                    .append('\n');
        }
        return b.toString();
    }

    /** After patroni.yml is written: the new settings tried, Patroni restarted and waited for. */
    Task restart() {
        String name = "restart patroni for its etcd settings";
        Patroni p = n.patroni();
        String dir = Paths.PG_LINK + "/cert";
        String me = n.me().name();
        return new Deferred("command " + name, TAG, this::require, (facts, pctx) -> {
            Optional<String> cause = cause(facts, pctx);
            if (cause.isEmpty()) {
                return new Skip(name, TAG, "Patroni's etcd settings are unchanged, or it does not run");
            }
            String tryNew = https(facts, pctx)
                    ? "( " + probeHttps + " ) || fail "
                    + Shell.quote("etcd does not answer over https with " + DcsUser.CERT + ": Patroni is not restarted; " + n.cluster().name()
                    + " stays paused until 'pig pgsql resume " + n.cluster().name() + "'") + "\n"
                    : "";
            String script = p.prelude() + tryNew
                    // never unpaused: a Patroni that stops then stops PostgreSQL, and a leader's gives up its key. Asked
                    // of this Patroni's own view: once etcd speaks https, it cannot read the DCS until it restarts
                    + "upto 30 sh -c " + Shell.quote(p.curl() + " -sf -m 5 " + p.url("127.0.0.1", "patroni") + " | grep -q '\"pause\": true'")
                    + " || fail " + Shell.quote(n.cluster().name() + " is not paused: " + me
                    + "'s Patroni is not restarted; pause it (pig pgsql pause " + n.cluster().name() + ") and deploy again") + "\n"
                    + "systemctl restart patroni.service\n"
                    + "running() { get 127.0.0.1 patroni | grep -q '\"state\": \"running\"'; }\n"
                    + "listed() { get 127.0.0.1 cluster | grep -q " + Shell.quote("\"name\": \"" + me + "\"") + "; }\n"
                    + "upto 90 running || fail " + Shell.quote(me + "'s Patroni does not report PostgreSQL running 90 s after its restart") + "\n"
                    + "upto 60 listed || fail " + Shell.quote("the DCS does not list " + me + " 60 s after its Patroni restarted") + "\n";
            return new PatroniCall("command " + name, TAG, Action.UPDATE,
                    "restart patroni on " + me + " (" + cause.get() + "; the cluster is paused: PostgreSQL keeps running),"
                    + " then wait until it answers and the DCS lists it", p, List.of(script));
        });
    }

    /** Once every member restarted: the pause lifted, unless the cluster was paused before the run. */
    Task resume() {
        String name = "resume " + n.cluster().name() + " after etcd";
        return new Deferred("command " + name, TAG, this::require, (facts, pctx) -> {
            if (cause(facts, pctx).isEmpty() || pausedBefore(facts)) {
                return new Skip(name, TAG, "the run did not pause " + n.cluster().name());
            }
            if (!speaker(pctx)) {
                return new Skip(name, TAG, "the cluster's first running member resumes it");
            }
            Patroni p = n.patroni();
            return new PatroniCall("command " + name, TAG, Action.UPDATE,
                    "resume " + n.cluster().name() + ": every member's Patroni runs with its new etcd settings", p,
                    List.of(p.pause(false)));
        });
    }
}
