package dev.pig.modules.pgsql;

import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Consumer;

import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.model.PgCluster;
import dev.pig.core.model.PgInstance;
import dev.pig.core.task.Deferred;
import dev.pig.core.task.PlanContext;
import dev.pig.core.task.Skip;
import dev.pig.core.task.Task;

/**
 * The PGSQL module's one answer to "who does this": the cluster's leader, or its replicas. Who
 * leads is what Patroni reports on any member, which after a failover is not the inventory's
 * {@code pg_role: primary}; a cluster that does not run yet is started and provisioned from that
 * primary. A task for the other side plans a no-op that names the leader, in one wording:
 *
 * <pre>
 *     command pgbackrest stanza pg-test: on the leader 10.10.10.11 only
 *     command wait for replica: on the replicas only: pg-test-1 leads
 * </pre>
 */
final class Leader {
    private Leader() {
    }

    /** Who leads {@code cluster} as any of its Patroni members reports, by IP; empty when none answers. */
    static Optional<String> live(PlanContext ctx, PatroniCluster section) {
        for (HostFacts f : ctx.fleet().values()) {
            if (!f.request().sections().contains(section.name())) {
                continue;
            }
            PatroniCluster.View view = f.extra(section);
            if (view.answered() && view.leader().isPresent()) {
                return Optional.of(view.leader().get().host());
            }
        }
        return Optional.empty();
    }

    /** The leader now, else the inventory's primary: where the cluster starts and is provisioned. */
    static String ip(PgCluster cluster, PlanContext ctx, PatroniCluster section) {
        return live(ctx, section).orElse(cluster.primary().map(PgInstance::ip).orElse(""));
    }

    /** A task planned on the leader only. */
    static Task only(PgNode n, String name, String tag, Consumer<FactRequest.Builder> require,
                     BiFunction<HostFacts, PlanContext, Task> then) {
        return gate(n, true, name, tag, require, then);
    }

    /** A task planned on every member but the leader. */
    static Task replicas(PgNode n, String name, String tag, Consumer<FactRequest.Builder> require,
                         BiFunction<HostFacts, PlanContext, Task> then) {
        return gate(n, false, name, tag, require, then);
    }

    /**
     * A task planned on the leader Patroni reports only; before any member leads, a no-op saying
     * why: what it changes exists only in a running cluster.
     */
    static Task running(PgNode n, String name, String tag, String notRunning, Consumer<FactRequest.Builder> require,
                        BiFunction<HostFacts, PlanContext, Task> then) {
        PatroniCluster section = n.facts().members();
        return new Deferred(name, tag, b -> {
            b.sections(section.name());
            require.accept(b);
        }, (facts, ctx) -> {
            Optional<String> lead = live(ctx, section);
            if (lead.isEmpty()) {
                return new Skip(name, tag, notRunning);
            }
            return lead.get().equals(n.me().ip()) ? then.apply(facts, ctx) : new Skip(name, tag, elsewhere(lead.get()));
        });
    }

    private static Task gate(PgNode n, boolean onLeader, String name, String tag, Consumer<FactRequest.Builder> require,
                             BiFunction<HostFacts, PlanContext, Task> then) {
        PatroniCluster section = n.facts().members();
        return new Deferred(name, tag, b -> {
            b.sections(section.name());
            require.accept(b);
        }, (facts, ctx) -> {
            String lead = ip(n.cluster(), ctx, section);
            boolean leads = lead.equals(n.me().ip());
            if (leads == onLeader) {
                return then.apply(facts, ctx);
            }
            return new Skip(name, tag, onLeader ? elsewhere(lead) : "on the replicas only: " + n.me().name() + " leads");
        });
    }

    static String elsewhere(String lead) {
        return "on the leader " + lead + " only";
    }
}
