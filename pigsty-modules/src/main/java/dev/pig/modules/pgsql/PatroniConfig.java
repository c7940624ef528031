package dev.pig.modules.pgsql;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.plan.Action;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.Step;
import dev.pig.core.task.BaseTask;
import dev.pig.core.task.PlanContext;

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
final class PatroniConfig extends BaseTask {
    static final String NAME = "patroni config";
    static final String TAG = "patroni_config";
    static final String NOT_RUNNING = "the cluster is not running yet: Patroni writes bootstrap.dcs of patroni.yml to the DCS when it"
            + " creates the cluster";

    private final String cluster;
    private final PatroniLive live;
    private final Map<String, Object> desired;
    private final Set<String> bootstrapOnly;
    private final Patroni patroni;

    /**
     * Planned on the live leader ({@link Leader#running}).
     *
     * @param bootstrapOnly keys whose tuned value follows the node that created the cluster and is
     *                      not enforced on a running one (so a switchover to another node's shape
     *                      does not change it back and forth)
     */
    PatroniConfig(PgNode n, Map<String, Object> desired, Set<String> bootstrapOnly) {
        super(NAME, TAG);
        this.cluster = n.cluster().name();
        this.live = n.facts().live();
        this.desired = desired;
        this.bootstrapOnly = bootstrapOnly;
        this.patroni = n.patroni();
    }

    @Override
    public void require(FactRequest.Builder b) {
        b.sections(live.name());
    }

    @Override
    public Change plan(HostFacts facts, PlanContext ctx) {
        PatroniLive.View lv = facts.extra(live);
        if (!lv.answered()) {
            return noop(NOT_RUNNING);
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
            return noop("the DCS config of " + cluster + " matches the inventory" + note);
        }
        List<String> shown = deltas.stream().map(DcsConfig.Delta::toString).toList();
        Step patch = patroni.step(patroni.patchConfig(DcsConfig.patch(deltas)), ctx.masker());
        StringBuilder diff = new StringBuilder();
        for (DcsConfig.Delta d : deltas) {
            if (d.from() != null) {
                diff.append("-").append(d.key()).append(": ").append(DcsConfig.show(d.from())).append('\n');
            }
            diff.append("+").append(d.key()).append(": ").append(DcsConfig.show(d.to())).append('\n');
        }
        return act(Action.UPDATE, "patroni config of " + cluster + ": " + String.join(", ", shown) + note, List.of(patch), diff.toString());
    }
}
