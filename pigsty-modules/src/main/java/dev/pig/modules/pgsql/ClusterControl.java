package dev.pig.modules.pgsql;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.pig.core.diag.PigException;
import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.Gathered;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.model.Node;
import dev.pig.core.model.PgCluster;
import dev.pig.core.model.PgInstance;
import dev.pig.core.task.Skip;
import dev.pig.core.task.Task;
import dev.pig.modules.ModuleContext;
import dev.pig.modules.Operation;

/**
 * What {@code pig pgsql switchover|failover|restart|reinit|pause|resume|reload|promote} do to a
 * running cluster: each an {@link Operation} that first asks every member who leads, how far each
 * replica is behind and whom each member's walsenders feed ({@link PatroniCluster},
 * {@link PatroniLive}, {@link PatroniStatus}), then either refuses with the reason, before any
 * plan is shown, or plans the Patroni REST calls that do it, which are shown and confirmed like
 * every apply.
 *
 * <p>What loses data is refused: a switchover to a member that does not stream, a failover while
 * a leader runs, a failover to a member Patroni cannot place or that lags past {@code pg_rpo}
 * (or, with {@code pg_rpo: 0}, to any but the synchronous standby), a reinit of the leader.
 *
 * <pre>
 * pig pgsql switchover pg-test --to pg-test-2
 * 10.10.10.11:
 *   &gt; switchover pg-test: pg-test-1 hands the lead to pg-test-2 (streaming, lag 0 B) and follows it
 * </pre>
 */
public final class ClusterControl {
    static final String TAG = "pg_ha";

    private ClusterControl() {
    }

    // ------------------------------------------------------------------------------ the live cluster

    /**
     * The cluster as its members answered: who leads and how far each member is behind (the
     * DCS, as any member's Patroni reports it), the DCS config, and what each member's own
     * Patroni says of its walsenders, by IP.
     *
     * @param answered the IPs of the members whose host answered
     * @param failures why each other member's host did not
     */
    record Live(PgCluster cluster, PatroniCluster.View view, PatroniLive.View config, Map<String, PatroniStatus.Status> status,
                Set<String> answered, Map<String, String> failures) {

        Optional<PatroniCluster.Member> leader() {
            return view.leader();
        }

        /** A leader that runs PostgreSQL. */
        Optional<PatroniCluster.Member> runningLeader() {
            return view.leader().filter(PatroniCluster.Member::running);
        }

        boolean synchronous() {
            return Boolean.TRUE.equals(config.config().get("synchronous_mode"));
        }

        boolean standbyCluster() {
            return config.config().get(DcsConfig.STANDBY) instanceof Map<?, ?> m && !m.isEmpty();
        }

        /** The member Patroni names so, or whose address this is. */
        Optional<PatroniCluster.Member> member(String nameOrIp) {
            return view.members().stream().filter(m -> m.name().equals(nameOrIp) || m.host().equals(nameOrIp)).findFirst();
        }

        /** Whom a replica streams from: the member it cascades from ({@code replicatefrom}) when that one runs, else the leader. */
        Optional<PatroniCluster.Member> upstreamOf(PatroniCluster.Member m) {
            String from = m.tags().get("replicatefrom");
            if (from != null) {
                Optional<PatroniCluster.Member> up = view.member(from).filter(PatroniCluster.Member::running);
                if (up.isPresent()) {
                    return up;
                }
            }
            return leader();
        }

        /** Whether the upstream of {@code m} runs a walsender for it that streams. */
        boolean streams(PatroniCluster.Member m) {
            return upstreamOf(m).map(up -> status(up.host())).flatMap(s -> s.feeding(m.name())).map(PatroniStatus.Sender::streaming)
                    .orElse(false);
        }

        /** What the member at {@code ip} said of itself, as the first host that reached it heard. */
        PatroniStatus.Status status(String ip) {
            return status.getOrDefault(ip, new PatroniStatus.Status(false, "", "", List.of()));
        }

        String names() {
            return String.join(", ", view.members().stream().map(PatroniCluster.Member::name).toList());
        }
    }

    /** The sections every member is asked, in one round trip each: who leads, the DCS config, its own status. */
    static Map<Node, FactRequest> probe(ModuleContext ctx, PgCluster cluster) {
        ClusterFacts f = ClusterFacts.of(ctx, cluster);
        FactRequest req = FactRequest.builder().sections(f.members().name(), f.live().name(), f.status().name()).build();
        Map<Node, FactRequest> out = new LinkedHashMap<>();
        cluster.instances().forEach(i -> out.put(ctx.model().node(i.ip()).orElseThrow(), req));
        return out;
    }

    /**
     * What the members answered to {@link #probe}.
     *
     * @throws PigException ({@code UNAVAILABLE}) when no member's Patroni answered
     */
    static Live live(ModuleContext ctx, PgCluster cluster, Gathered probed) {
        ClusterFacts f = ClusterFacts.of(ctx, cluster);
        PatroniCluster.View view = null;
        PatroniLive.View config = null;
        Map<String, PatroniStatus.Status> status = new LinkedHashMap<>();
        Set<String> answered = new LinkedHashSet<>();
        for (PgInstance i : cluster.instances()) {
            HostFacts hf = probed.facts().get(i.ip());
            if (hf == null) {
                continue;
            }
            answered.add(i.ip());
            PatroniCluster.View v = hf.extra(f.members());
            if (view == null && v.answered()) {
                view = v;
            }
            PatroniLive.View c = hf.extra(f.live());
            if (config == null && c.answered()) {
                config = c;
            }
            hf.extra(f.status()).members().forEach((ip, st) -> {
                if (st.answered()) {
                    status.putIfAbsent(ip, st);
                }
            });
        }
        if (view == null) {
            List<String> why = new ArrayList<>();
            for (PgInstance i : cluster.instances()) {
                String failure = probed.failures().get(i.ip());
                why.add(i.name() + " (" + i.ip() + "): " + (failure != null ? "unreachable: " + failure : "its Patroni does not answer"));
            }
            throw new PigException(PigException.Kind.UNAVAILABLE, "no member of " + cluster.name() + " answers for the cluster: "
                    + String.join("; ", why) + ". Start Patroni on a member first.");
        }
        return new Live(cluster, view, config == null ? new PatroniLive.View(false, Map.of()) : config, status, answered,
                probed.failures());
    }

    // ---------------------------------------------------------------------------- who may take the lead

    /**
     * Why {@code m} may not take the lead, or empty when it may: it must run, not be tagged
     * {@code nofailover}, and be the synchronous standby of a synchronous cluster; by a switchover
     * it must stream from its upstream (the old leader then hands over all it wrote); by a
     * failover, with no leader left to hand anything over, it must be within {@code rpo} bytes of
     * the last position the leader reported, and its host must answer, since pig promotes it there.
     */
    static Optional<String> unfit(Live live, PatroniCluster.Member m, boolean failover, long rpo) {
        if (m.leads()) {
            return Optional.of(m.name() + " already leads " + live.cluster().name());
        }
        if (!m.running()) {
            return Optional.of(m.name() + " does not run (Patroni reports it " + m.state() + ")");
        }
        if (m.tag("nofailover")) {
            return Optional.of(m.name() + " is tagged nofailover: a delayed or offline instance never leads");
        }
        if (live.synchronous() && !m.role().equals("sync_standby")) {
            String sync = live.view().members().stream().filter(x -> x.role().equals("sync_standby")).map(PatroniCluster.Member::name)
                    .findFirst().map(x -> "only " + x + ", the synchronous standby,").orElse("no member, since none is synchronous,");
            return Optional.of(m.name() + " is not the synchronous standby of " + live.cluster().name() + " (synchronous_mode, pg_rpo: 0): "
                    + sync + " is known to hold every acknowledged commit");
        }
        if (!failover) {
            if (!live.streams(m)) {
                String up = live.upstreamOf(m).map(PatroniCluster.Member::name).orElse("the leader");
                return Optional.of(m.name() + " does not stream from " + up + " (no streaming walsender there feeds it):"
                        + " handing it the lead could lose what it has not received");
            }
            return Optional.empty();
        }
        if (!live.answered().contains(m.host())) {
            return Optional.of(m.name() + "'s host " + m.host() + " cannot be reached, and pig promotes it there"
                    + Optional.ofNullable(live.failures().get(m.host())).map(f -> " (" + f + ")").orElse(""));
        }
        if (!live.synchronous()) {
            if (m.lag() < 0) {
                return Optional.of("Patroni does not know how far " + m.name() + " is behind: promoting it could lose"
                        + " acknowledged commits");
            }
            if (m.lag() > rpo) {
                return Optional.of(m.name() + " lags " + bytes(m.lag()) + " behind the last position the leader reported,"
                        + " past pg_rpo (" + bytes(rpo) + "): promoting it would lose the commits it never received; bring"
                        + " the leader back, or accept the loss with -e pg_rpo=" + m.lag());
            }
        }
        return Optional.empty();
    }

    /**
     * The member to hand the lead to: {@code to} when given (and fit, else refused with why), or
     * the fittest: the synchronous standby, else the least behind, then by name; refused, naming
     * each member's reason, when none is fit.
     */
    static PatroniCluster.Member candidate(Live live, Optional<String> to, boolean failover, long rpo) {
        String verb = failover ? "failover" : "switchover";
        if (to.isPresent()) {
            PatroniCluster.Member m = live.member(to.get()).orElseThrow(() -> new PigException(PigException.Kind.USAGE,
                    to.get() + " is not a member of " + live.cluster().name() + " as Patroni reports it; its members are " + live.names()));
            unfit(live, m, failover, rpo).ifPresent(why -> {
                throw new PigException(PigException.Kind.FAILED, "no " + verb + " to " + m.name() + ": " + why + ".");
            });
            return m;
        }
        List<String> reasons = new ArrayList<>();
        List<PatroniCluster.Member> fit = new ArrayList<>();
        for (PatroniCluster.Member m : live.view().members()) {
            if (m.leads()) {
                continue;
            }
            Optional<String> why = unfit(live, m, failover, rpo);
            if (why.isPresent()) {
                reasons.add(why.get());
            } else {
                fit.add(m);
            }
        }
        return fit.stream().min(Comparator.<PatroniCluster.Member, Boolean>comparing(m -> !m.role().equals("sync_standby"))
                        .thenComparing(m -> m.lag() < 0 ? Long.MAX_VALUE : m.lag()).thenComparing(PatroniCluster.Member::name))
                .orElseThrow(() -> new PigException(PigException.Kind.FAILED, "no member of " + live.cluster().name() + " can take the lead"
                        + (reasons.isEmpty() ? ": it has no other member" : ": " + String.join("; ", reasons)) + "."));
    }

    // ------------------------------------------------------------------------------------ the verbs

    /**
     * {@code pig pgsql switchover CLUSTER [--to MEMBER]}: the running leader hands the lead to a
     * replica that streams from it, then follows it as a replica.
     */
    public static Operation switchover(ModuleContext ctx, PgCluster cluster, Optional<String> to) {
        return live(ctx, cluster, live -> {
            PatroniCluster.Member lead = live.runningLeader().orElseThrow(() -> new PigException(PigException.Kind.FAILED,
                    noRunningLeader(live) + ": a switchover hands the lead over from a running leader; with none, use"
                            + " 'pig pgsql failover " + cluster.name() + "'"));
            PatroniCluster.Member c = candidate(live, to, false, rpo(ctx, cluster));
            String up = live.upstreamOf(c).map(PatroniCluster.Member::host).orElse(lead.host());
            Patroni p = patroni(ctx, cluster);
            Task t = new PatroniCall("switchover " + cluster.name(), "switchover " + cluster.name() + ": " + lead.name()
                    + " hands the lead to " + c.name() + " (" + state(live, c) + ") and follows it as a replica", p,
                    List.of(p.switchover(lead.name(), lead.host(), c.name(), c.host(), up, c.host())));
            return work(ctx, Map.of(via(live, lead.host()), List.of(t)), List.of());
        });
    }

    /**
     * {@code pig pgsql failover CLUSTER [--to MEMBER]}: when no member leads (or the leader's
     * PostgreSQL does not run), promotes the fittest replica, on its own host.
     */
    public static Operation failover(ModuleContext ctx, PgCluster cluster, Optional<String> to) {
        return live(ctx, cluster, live -> {
            live.runningLeader().ifPresent(l -> {
                throw new PigException(PigException.Kind.FAILED, l.name() + " leads " + cluster.name() + " and runs: a failover is for"
                        + " a cluster without a healthy leader; use 'pig pgsql switchover " + cluster.name() + "'");
            });
            PatroniCluster.Member c = candidate(live, to, true, rpo(ctx, cluster));
            Patroni p = patroni(ctx, cluster);
            Task t = new PatroniCall("failover " + cluster.name(), "failover " + cluster.name() + ": promote " + c.name() + " ("
                    + state(live, c) + "); " + noRunningLeader(live), p, List.of(p.failover(c.name())));
            return work(ctx, Map.of(c.host(), List.of(t)), List.of());
        });
    }

    /**
     * {@code pig pgsql restart CLUSTER [MEMBER]}: each member restarted through Patroni, replicas
     * first, each until it streams again, the leader last and in place; or only {@code member}.
     * A member whose Patroni is not in the DCS is left out, and the note says so.
     */
    public static Operation restart(ModuleContext ctx, PgCluster cluster, Optional<String> only) {
        return live(ctx, cluster, live -> {
            PatroniCluster.Member lead = live.runningLeader().orElseThrow(() -> new PigException(PigException.Kind.FAILED,
                    noRunningLeader(live) + ": pig restarts the members of a running cluster, its replicas streaming from the leader;"
                            + " see 'pig pgsql failover " + cluster.name() + "'"));
            List<String> notes = new ArrayList<>();
            List<PatroniCluster.Member> members;
            if (only.isPresent()) {
                members = List.of(dcsMember(live, only.get()));
            } else {
                members = new ArrayList<>(live.view().members());
                for (PgInstance i : cluster.instances()) {
                    if (live.member(i.name()).isEmpty()) {
                        notes.add(i.name() + " is not in the DCS (its Patroni does not run): not restarted");
                    }
                }
            }
            Patroni p = patroni(ctx, cluster);
            List<String> scripts = new ArrayList<>();
            List<String> order = new ArrayList<>();
            for (PatroniCluster.Member m : members.stream().filter(m -> !m.leads()).sorted(Comparator.comparing(PatroniCluster.Member::name))
                    .toList()) {
                scripts.add(p.restartReplicaNow(m.name(), m.host(), live.upstreamOf(m).orElse(lead).host()));
                order.add(m.name());
            }
            if (members.stream().anyMatch(PatroniCluster.Member::leads)) {
                scripts.add(p.restartLeaderNow(lead.name(), lead.host()));
                order.add(lead.name() + " (the leader, in place: writes pause while it restarts)");
            }
            Task t = new PatroniCall("restart " + cluster.name(), "restart " + cluster.name() + ": " + String.join(", then ", order), p, scripts);
            return work(ctx, Map.of(via(live, lead.host()), List.of(t)), notes);
        });
    }

    /**
     * {@code pig pgsql reinit MEMBER}: a replica's data directory is removed and cloned again from
     * its upstream; the leader is refused.
     */
    public static Operation reinit(ModuleContext ctx, PgCluster cluster, PgInstance instance) {
        return live(ctx, cluster, live -> {
            PatroniCluster.Member lead = live.runningLeader().orElseThrow(() -> new PigException(PigException.Kind.FAILED,
                    noRunningLeader(live) + ": a replica is cloned again from a running leader"));
            PatroniCluster.Member m = dcsMember(live, instance.name());
            if (m.leads()) {
                throw new PigException(PigException.Kind.FAILED, m.name() + " leads " + cluster.name() + ": reinit rebuilds a replica"
                        + " from its leader and would throw the cluster's data away here; switch over first ('pig pgsql switchover "
                        + cluster.name() + "')");
            }
            PatroniCluster.Member up = live.upstreamOf(m).orElse(lead);
            Patroni p = patroni(ctx, cluster);
            Task t = new PatroniCall("reinit " + m.name(), "reinit " + m.name() + ": its data directory is removed and cloned again from "
                    + up.name(), p, List.of(p.reinit(m.name(), m.host(), up.host())));
            return work(ctx, Map.of(via(live, lead.host()), List.of(t)), List.of());
        });
    }

    /**
     * {@code pig pgsql pause|resume CLUSTER}: Patroni's maintenance mode on or off, through a
     * member that answered (the leader when there is one); a no-op when the cluster already is so.
     */
    public static Operation pause(ModuleContext ctx, PgCluster cluster, boolean pause) {
        return live(ctx, cluster, live -> {
            String via = local(live, live.leader().map(PatroniCluster.Member::host).orElse(""));
            String name = pause ? "pause " + cluster.name() : "resume " + cluster.name();
            Task t;
            if (live.view().paused() == pause) {
                t = new Skip(name, TAG, cluster.name() + (pause ? " is already paused" : " is not paused"));
            } else {
                Patroni p = patroni(ctx, cluster);
                t = new PatroniCall(name, pause ? "pause " + cluster.name() + ": maintenance mode, Patroni stops acting on failures"
                        + " (no automatic failover) until resumed" : "resume " + cluster.name() + ": Patroni acts on failures again", p,
                        List.of(p.pause(pause)));
            }
            return work(ctx, Map.of(via, List.of(t)), List.of());
        });
    }

    /**
     * {@code pig pgsql reload CLUSTER [MEMBER]}: every member's Patroni re-reads patroni.yml and
     * reloads PostgreSQL, each on its own host; a member whose Patroni does not answer is refused.
     */
    public static Operation reload(ModuleContext ctx, PgCluster cluster, Optional<PgInstance> only) {
        return live(ctx, cluster, live -> {
            Patroni p = patroni(ctx, cluster);
            Map<String, List<Task>> tasks = new LinkedHashMap<>();
            for (PgInstance i : only.map(List::of).orElse(cluster.instances())) {
                if (!live.answered().contains(i.ip()) || !live.status(i.ip()).answered()) {
                    throw new PigException(PigException.Kind.FAILED, "Patroni on " + i.name() + " (" + i.ip() + ") does not answer: nothing"
                            + " to reload there" + Optional.ofNullable(live.failures().get(i.ip())).map(f -> " (" + f + ")").orElse(""));
                }
                tasks.put(i.ip(), List.of(new PatroniCall("reload " + i.name(), "reload " + i.name() + ": Patroni re-reads patroni.yml"
                        + " and reloads PostgreSQL", p, List.of(p.reload()))));
            }
            return work(ctx, tasks, List.of());
        });
    }

    /**
     * {@code pig pgsql promote CLUSTER}: a standby cluster stops following its upstream and its
     * leader promotes; a no-op for a primary cluster.
     */
    public static Operation promote(ModuleContext ctx, PgCluster cluster) {
        return live(ctx, cluster, live -> {
            PatroniCluster.Member lead = live.runningLeader().orElseThrow(() -> new PigException(PigException.Kind.FAILED,
                    noRunningLeader(live) + ": a standby cluster is promoted through its running standby leader"));
            Task t;
            if (!live.config().answered()) {
                throw new PigException(PigException.Kind.UNAVAILABLE, "no member of " + cluster.name() + " returned the DCS config");
            } else if (!live.standbyCluster()) {
                t = new Skip("promote " + cluster.name(), TAG, cluster.name() + " is a primary cluster: it has no upstream to stop following");
            } else {
                Patroni p = patroni(ctx, cluster);
                Object from = ((Map<?, ?>) live.config().config().get(DcsConfig.STANDBY)).get("host");
                t = new PatroniCall("promote " + cluster.name(), "promote " + cluster.name() + ": it stops following " + from + " and "
                        + lead.name() + " leads it as a primary cluster, on a new timeline", p, List.of(p.promote(lead.name(), lead.host())));
            }
            return work(ctx, Map.of(local(live, lead.host()), List.of(t)), List.of());
        });
    }

    // ------------------------------------------------------------------------------------ helpers

    /**
     * Where a step that reaches members by their address runs: {@code preferred} when pig reaches
     * its host, else the first member it reaches.
     */
    private static String via(Live live, String preferred) {
        return live.answered().contains(preferred) ? preferred : live.answered().stream().findFirst().orElse(preferred);
    }

    /**
     * Where a step that talks to the local Patroni runs: {@code preferred} when pig reaches its host
     * and its Patroni answers, else the first such member.
     */
    private static String local(Live live, String preferred) {
        java.util.function.Predicate<String> ok = h -> live.answered().contains(h) && live.status(h).answered();
        if (ok.test(preferred)) {
            return preferred;
        }
        return live.answered().stream().filter(ok).findFirst().orElseThrow(() -> new PigException(PigException.Kind.UNAVAILABLE,
                "no member of " + live.cluster().name() + " whose host pig reaches runs Patroni"));
    }

    /** An operation that probes the cluster, then decides from what it found. */
    private static Operation live(ModuleContext ctx, PgCluster cluster, java.util.function.Function<Live, Operation.Work> decide) {
        return new Operation() {
            @Override
            public Map<Node, FactRequest> probe() {
                return ClusterControl.probe(ctx, cluster);
            }

            @Override
            public Work work(Gathered probed) {
                return decide.apply(live(ctx, cluster, probed));
            }
        };
    }

    private static Operation.Work work(ModuleContext ctx, Map<String, List<Task>> byIp, List<String> notes) {
        Map<Node, List<Task>> tasks = new LinkedHashMap<>();
        byIp.forEach((ip, t) -> tasks.put(ctx.model().node(ip).orElseThrow(), t));
        return new Operation.Work(tasks, notes);
    }

    private static PatroniCluster.Member dcsMember(Live live, String nameOrIp) {
        return live.member(nameOrIp).orElseThrow(() -> new PigException(PigException.Kind.FAILED, nameOrIp + " is not in the DCS of "
                + live.cluster().name() + " (its Patroni does not run); its members there are " + live.names()));
    }

    private static String noRunningLeader(Live live) {
        return live.leader().map(l -> "the leader " + l.name() + " of " + live.cluster().name() + " does not run (Patroni reports it "
                + l.state() + ")").orElse("no member of " + live.cluster().name() + " leads");
    }

    /** How a candidate stands, for the plan line: its role and lag. */
    private static String state(Live live, PatroniCluster.Member m) {
        String how = m.role().equals("sync_standby") ? "synchronous standby" : live.streams(m) ? "streaming" : m.state();
        return how + (m.lag() >= 0 ? ", lag " + bytes(m.lag()) : "");
    }

    private static long rpo(ModuleContext ctx, PgCluster cluster) {
        return ctx.vars(ctx.model().node(cluster.instances().get(0).ip()).orElseThrow()).integer("pg_rpo");
    }

    private static Patroni patroni(ModuleContext ctx, PgCluster cluster) {
        return Patroni.of(ctx.vars(ctx.model().node(cluster.instances().get(0).ip()).orElseThrow()));
    }

    /** {@code 0 B}, {@code 512 kB}, {@code 5.2 MB}: bytes as people read them. */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return (v < 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.0f", v)) + " " + units[u];
    }
}
