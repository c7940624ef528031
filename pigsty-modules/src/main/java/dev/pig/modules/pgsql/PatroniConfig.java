package dev.pig.modules.pgsql;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.plan.Action;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.Step;
import dev.pig.core.task.PlanContext;
import dev.pig.core.task.Task;

/**
 * Brings the DCS config of a running cluster to what the inventory says, on the leader, with one
 * {@code PATCH /config}: Patroni reads {@code bootstrap.dcs} only when it creates the cluster, so
 * a changed {@code pg_rto}, {@code pg_rpo}, {@code pg_conf} or {@code pg_max_conn} (or a
 * cluster-wide setting of {@code pg_parameters}) reaches a running one only this way.
 *
 * <pre>
 * ~ patroni config of pg-test: max_connections 250 -> 600, ttl 30 -> 20
 * </pre>
 *
 * Settings PostgreSQL reads only at start then wait for the {@link RollingRestart}.
 */
final class PatroniConfig implements Task {
    static final String NAME = "patroni config";
    static final String TAG = "patroni_config";

    private final String cluster;
    private final String ip;
    private final PatroniCluster members;
    private final PatroniLive live;
    private final Map<String, Object> desired;
    private final Set<String> bootstrapOnly;
    private final PatroniRest rest;

    /**
     * @param bootstrapOnly keys whose tuned value follows the node that created the cluster and is
     *                      not enforced on a running one (so a switchover to another node's shape
     *                      does not change it back and forth)
     */
    PatroniConfig(String cluster, String ip, PatroniCluster members, PatroniLive live, Map<String, Object> desired,
                  Set<String> bootstrapOnly, PatroniRest rest) {
        this.cluster = cluster;
        this.ip = ip;
        this.members = members;
        this.live = live;
        this.desired = desired;
        this.bootstrapOnly = bootstrapOnly;
        this.rest = rest;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String tag() {
        return TAG;
    }

    @Override
    public void require(FactRequest.Builder b) {
        b.sections(members.name(), live.name());
    }

    @Override
    public Change plan(HostFacts facts, PlanContext ctx) {
        PatroniCluster.View view = facts.extra(members);
        PatroniLive.View lv = facts.extra(live);
        Optional<PatroniCluster.Member> leader = view.leader();
        if (!view.answered() || leader.isEmpty() || !lv.answered()) {
            return new Change.NoOp(NAME, TAG, cluster + " is not running yet: Patroni writes bootstrap.dcs of patroni.yml to the DCS"
                    + " when it creates the cluster");
        }
        if (!leader.get().host().equals(ip)) {
            return new Change.NoOp(NAME, TAG, "changed on the leader " + leader.get().host());
        }
        List<DcsConfig.Delta> deltas = DcsConfig.diff(desired, lv.config(), bootstrapOnly);
        List<String> notes = new ArrayList<>();
        DcsConfig.standbyMismatch(desired, lv.config(), cluster).ifPresent(notes::add);
        for (String k : bootstrapOnly) {
            Object want = DcsConfig.flatten(desired).get(k);
            Object have = DcsConfig.flatten(lv.config()).get(k);
            if (want != null && have != null && !DcsConfig.same(want, have)) {
                String n = k.substring(k.lastIndexOf('.') + 1);
                notes.add(n + " stays " + DcsConfig.show(have) + " (tuned " + DcsConfig.show(want) + " here): it follows the CPUs of the node"
                        + " that created the cluster; set pg_parameters." + n + " to change it");
            }
        }
        String note = notes.isEmpty() ? "" : "; " + String.join("; ", notes);
        if (deltas.isEmpty()) {
            return new Change.NoOp(NAME, TAG, "the DCS config of " + cluster + " matches the inventory" + note);
        }
        List<String> shown = deltas.stream().map(DcsConfig.Delta::toString).toList();
        Step patch = Step.Exec.of(rest.patchConfig(DcsConfig.patch(deltas)), ctx.masker());
        StringBuilder diff = new StringBuilder();
        for (DcsConfig.Delta d : deltas) {
            if (d.from() != null) {
                diff.append("-").append(d.key()).append(": ").append(DcsConfig.show(d.from())).append('\n');
            }
            diff.append("+").append(d.key()).append(": ").append(DcsConfig.show(d.to())).append('\n');
        }
        return new Change.Act(NAME, TAG, Action.UPDATE, "patroni config of " + cluster + ": " + String.join(", ", shown) + note,
                List.of(patch), diff.toString());
    }
}
