package dev.pig.modules.pgsql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.model.PgCluster;
import dev.pig.core.model.PgInstance;
import dev.pig.core.plan.Action;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.Step;
import dev.pig.core.task.BaseTask;
import dev.pig.core.task.PlanContext;

/**
 * Restarts the members of a running cluster whose settings need it, one at a time, planned on the
 * leader: replicas first, each until it streams again, then a switchover to a healthy replica,
 * which restarts the old leader as a replica of the new one. What needs a restart is decided at
 * plan time: a changed setting PostgreSQL reads only at start ({@code context = 'postmaster'} in
 * the leader's {@code pg_settings}), in the DCS config or in a member's patroni.yml, and any
 * member Patroni reports {@code pending_restart}.
 *
 * <pre>
 * ~ restart pg-test (max_connections 250 -> 600): pg-test-2, pg-test-3, then switchover to pg-test-2 (pg-test-1 restarts as its replica)
 * </pre>
 *
 * Lowering a setting a hot standby needs at least the primary's value of (max_connections and
 * the like) goes the other way: the leader is restarted in place first, since a replica cannot
 * run with less than its primary, then the replicas. A standby cluster's leader, and the only
 * member of a cluster, are restarted in place.
 */
final class RollingRestart extends BaseTask {
    /** Settings a hot standby must have at least as high as its primary (PostgreSQL's rule). */
    static final Set<String> HOT_STANDBY_FLOOR = Set.of("max_connections", "max_prepared_transactions",
            "max_locks_per_transaction", "max_worker_processes", "max_wal_senders");
    static final String NAME = "rolling restart";
    static final String TAG = "pg_restart";
    static final String NOT_RUNNING = "the cluster is not running yet: Patroni starts each member with its patroni.yml";

    private final PgCluster cluster;
    private final PgInstance me;
    private final ClusterFacts facts;
    private final Map<String, Object> desiredDcs;
    private final Set<String> bootstrapOnly;
    private final BiFunction<String, HostFacts, Optional<String>> patroniYml;
    private final Patroni patroni;

    /**
     * Planned on the live leader ({@link Leader#running}).
     *
     * @param patroniYml the patroni.yml an instance (by IP) should have, rendered from its facts
     */
    RollingRestart(PgNode n, Map<String, Object> desiredDcs, Set<String> bootstrapOnly,
                   BiFunction<String, HostFacts, Optional<String>> patroniYml) {
        super(NAME, TAG);
        this.cluster = n.cluster();
        this.me = n.me();
        this.facts = n.facts();
        this.desiredDcs = desiredDcs;
        this.bootstrapOnly = bootstrapOnly;
        this.patroniYml = patroniYml;
        this.patroni = n.patroni();
    }

    @Override
    public void require(FactRequest.Builder b) {
        b.sections(facts.members().name(), facts.live().name(), facts.catalog().name()).fileWithContent(Paths.PATRONI_CONF);
    }

    @Override
    public Change plan(HostFacts hf, PlanContext ctx) {
        PatroniCluster.View view = hf.extra(facts.members());
        PatroniLive.View lv = hf.extra(facts.live());
        PgCatalog.View pg = hf.extra(facts.catalog());
        Optional<PatroniCluster.Member> leader = view.leader();
        if (!view.answered() || leader.isEmpty() || !lv.answered()) {
            return noop(NOT_RUNNING);
        }
        if (!pg.answered()) {
            return noop("PostgreSQL on the leader " + me.name() + " does not answer: nothing is restarted");
        }
        Set<String> restartOnly = pg.restartOnly();
        // why each running member needs a restart, by name
        Map<String, Set<String>> why = new LinkedHashMap<>();
        List<DcsConfig.Delta> clusterWide = DcsConfig.diff(desiredDcs, lv.config(), bootstrapOnly).stream()
                .filter(d -> d.isParameter() && restartOnly.contains(d.name())).toList();
        for (PatroniCluster.Member m : view.members()) {
            if (!m.running()) {
                continue;
            }
            Set<String> reasons = new LinkedHashSet<>();
            clusterWide.forEach(d -> reasons.add(d.toString()));
            HostFacts mf = ctx.fleet().get(m.host());
            if (mf != null) {
                for (DcsConfig.Delta d : localDeltas(m.host(), mf)) {
                    if (restartOnly.contains(d.name())) {
                        reasons.add(d + " on " + m.name());
                    }
                }
            }
            if (m.leads()) {
                pg.pending().forEach(p -> reasons.add(p + " pending on " + m.name()));
            }
            if (reasons.isEmpty() && m.pendingRestart()) {
                reasons.add("pending restart on " + m.name());
            }
            if (!reasons.isEmpty()) {
                why.put(m.name(), reasons);
            }
        }
        List<String> notRunning = view.members().stream().filter(m -> !m.running()).map(m -> m.name() + " (" + m.state() + ")").toList();
        if (why.isEmpty()) {
            return noop("no member of " + cluster.name() + " needs a restart: no setting read only at start changed"
                    + " and Patroni reports none pending" + (notRunning.isEmpty() ? "" : "; not running: " + String.join(", ", notRunning)));
        }
        if (view.paused()) {
            return noop(cluster.name() + " is paused (maintenance mode): pig does not restart or switch over a paused cluster;"
                    + " resume it (patronictl resume) and plan again. Waiting: " + String.join(", ", why.keySet()));
        }
        return plan(view, leader.get(), why, clusterWide, lv, ctx);
    }

    private Change plan(PatroniCluster.View view, PatroniCluster.Member lead, Map<String, Set<String>> why,
                        List<DcsConfig.Delta> clusterWide, PatroniLive.View lv, PlanContext ctx) {
        List<PatroniCluster.Member> replicas = view.members().stream()
                .filter(m -> !m.leads() && why.containsKey(m.name())).sorted(java.util.Comparator.comparing(PatroniCluster.Member::name))
                .toList();
        boolean leaderToo = why.containsKey(lead.name());
        boolean standbyCluster = lead.role().equals("standby_leader");
        boolean lowered = clusterWide.stream().anyMatch(RollingRestart::lowersFloor);
        Optional<PatroniCluster.Member> candidate = leaderToo && !standbyCluster && !lowered ? candidate(view, lead, lv) : Optional.empty();

        List<Step> steps = new ArrayList<>();
        List<String> order = new ArrayList<>();
        String tail = "";
        if (leaderToo && lowered) {
            steps.add(step(patroni.restartLeader(lead.name(), lead.host()), ctx));
            order.add(lead.name() + " in place first (a lowered " + String.join(", ", clusterWide.stream().filter(RollingRestart::lowersFloor)
                    .map(DcsConfig.Delta::name).toList()) + " must reach the primary before its replicas)");
        }
        for (PatroniCluster.Member r : replicas) {
            steps.add(step(patroni.restartReplica(r.name(), r.host(), upstreamOf(view, r, lead)), ctx));
            order.add(r.name());
        }
        if (leaderToo && !lowered) {
            if (candidate.isPresent()) {
                PatroniCluster.Member c = candidate.get();
                steps.add(step(patroni.switchover(lead.name(), lead.host(), c.name(), c.host(), upstreamOf(view, c, lead),
                        upstreamOf(view, lead, c)), ctx));
                tail = "switchover to " + c.name() + " (" + lead.name() + " restarts as its replica)";
            } else {
                steps.add(step(patroni.restartLeader(lead.name(), lead.host()), ctx));
                tail = lead.name() + " in place (" + (standbyCluster ? "the standby leader: it serves no writes"
                        : "no healthy replica to switch over to") + ")";
            }
        }
        Set<String> reasons = new LinkedHashSet<>();
        why.values().forEach(reasons::addAll);
        String list = String.join(", ", order);
        String summary = "restart " + cluster.name() + " (" + String.join("; ", reasons) + "): "
                + (list.isEmpty() ? tail : tail.isEmpty() ? list : list + ", then " + tail);
        return act(Action.UPDATE, summary, steps, "");
    }

    private Step step(String script, PlanContext ctx) {
        return patroni.step(script, ctx.masker());
    }

    /** A replica streams from its {@code replicatefrom} member when it has one, else from the leader. */
    private static String upstreamOf(PatroniCluster.View view, PatroniCluster.Member m, PatroniCluster.Member leader) {
        String from = m.tags().get("replicatefrom");
        if (from != null) {
            Optional<PatroniCluster.Member> up = view.member(from);
            if (up.isPresent() && up.get().running()) {
                return up.get().host();
            }
        }
        return leader.host();
    }

    /**
     * Who takes the lead: a running replica Patroni may promote (no {@code nofailover} tag, lag
     * known and within {@code maximum_lag_on_failover}), the synchronous standby when the cluster
     * is synchronous, the first by name otherwise.
     */
    static Optional<PatroniCluster.Member> candidate(PatroniCluster.View view, PatroniCluster.Member lead, PatroniLive.View lv) {
        long maxLag = lv.config().get("maximum_lag_on_failover") instanceof Number n ? n.longValue() : 1048576L;
        boolean sync = Boolean.TRUE.equals(lv.config().get("synchronous_mode"));
        return view.members().stream()
                .filter(m -> !m.name().equals(lead.name()) && m.running() && !m.tag("nofailover"))
                .filter(m -> m.lag() >= 0 && m.lag() <= maxLag)
                .filter(m -> !sync || m.role().equals("sync_standby"))
                .min(java.util.Comparator.comparing(PatroniCluster.Member::name));
    }

    private static boolean lowersFloor(DcsConfig.Delta d) {
        if (!d.isParameter() || !HOT_STANDBY_FLOOR.contains(d.name()) || d.from() == null) {
            return false;
        }
        try {
            return Long.parseLong(String.valueOf(d.to()).trim()) < Long.parseLong(String.valueOf(d.from()).trim());
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** PostgreSQL settings of the member's patroni.yml that the plan changes, from its current copy. */
    private List<DcsConfig.Delta> localDeltas(String ip, HostFacts f) {
        Optional<byte[]> old = f.file(Paths.PATRONI_CONF).knownContent();
        Optional<String> want = patroniYml.apply(ip, f);
        if (old.isEmpty() || want.isEmpty()) {
            return List.of();
        }
        Map<String, Object> from = parameters(new String(old.get(), java.nio.charset.StandardCharsets.UTF_8));
        Map<String, Object> to = parameters(want.get());
        List<DcsConfig.Delta> out = new ArrayList<>();
        to.forEach((k, v) -> {
            Object was = from.get(k);
            if (was == null || !DcsConfig.same(was, v)) {
                out.add(new DcsConfig.Delta(DcsConfig.PARAMETERS + k, was, v));
            }
        });
        from.forEach((k, v) -> {
            if (!to.containsKey(k)) {
                out.add(new DcsConfig.Delta(DcsConfig.PARAMETERS + k, v, "(default)"));
            }
        });
        return out;
    }

    /** {@code postgresql.parameters} of a patroni.yml; empty when it does not parse. */
    static Map<String, Object> parameters(String yml) {
        try {
            Object root = new Load(LoadSettings.builder().build()).loadFromString(yml);
            if (root instanceof Map<?, ?> r && r.get("postgresql") instanceof Map<?, ?> pg && pg.get("parameters") instanceof Map<?, ?> p) {
                Map<String, Object> out = new LinkedHashMap<>();
                p.forEach((k, v) -> out.put(String.valueOf(k), v));
                return out;
            }
        } catch (RuntimeException e) {
            // a hand-edited file that does not parse: its changes are not known, Patroni's pending_restart still is
        }
        return Map.of();
    }

}
