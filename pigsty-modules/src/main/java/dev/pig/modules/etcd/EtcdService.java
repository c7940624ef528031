package dev.pig.modules.etcd;

import java.util.ArrayList;
import java.util.List;

import dev.pig.core.diag.PigException;
import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.fact.UnitState;
import dev.pig.core.plan.Action;
import dev.pig.core.plan.Change;
import dev.pig.core.model.Secret;
import dev.pig.core.plan.Step;
import dev.pig.core.ssh.Shell;
import dev.pig.core.task.PlanContext;
import dev.pig.core.task.Task;

/**
 * etcd's systemd unit, split in two so that a config change never takes several members down at
 * once: {@link Launch} enables and starts stopped members (together, as a new cluster's members
 * must start), and {@link Restart} restarts a running member whose settings changed, in a stage of
 * its own per member, after checking that the others hold quorum and waiting until it is healthy
 * again before the next member's stage.
 */
final class EtcdService {
    static final String UNIT = "etcd.service";

    private EtcdService() {
    }

    /** The files whose change needs a restart: the unit file and the settings etcd reads at every start. */
    static final List<String> RESTART_ON = List.of(EtcdModule.UNIT, EtcdModule.RUNTIME_CHANGED);

    /** Enabled and running; a running member is left alone here, whatever changed. */
    static final class Launch implements Task {
        private final String member;

        Launch(String member) {
            this.member = member;
        }

        @Override
        public String name() {
            return "unit " + UNIT;
        }

        @Override
        public String tag() {
            return "etcd_launch";
        }

        @Override
        public void require(FactRequest.Builder facts) {
            facts.units(UNIT);
        }

        @Override
        public Change plan(HostFacts facts, PlanContext ctx) {
            UnitState s = facts.unit(UNIT);
            List<Step> steps = new ArrayList<>();
            List<String> what = new ArrayList<>();
            boolean unitChanged = ctx.firstChanged(List.of(EtcdModule.UNIT)) != null;
            // a running member reloads its unit file in its own restart stage
            if (!s.exists() || (unitChanged && !s.active())) {
                steps.add(Step.Exec.of("systemctl daemon-reload", ctx.masker()));
            }
            if (!s.enabled()) {
                what.add("enable");
                steps.add(Step.Exec.of("systemctl enable " + UNIT, ctx.masker()));
            }
            if (!s.active()) {
                boolean failed = s.activeState().equals("failed");
                what.add(failed ? "start (it had failed)" : "start");
                steps.add(Step.Exec.of((failed ? "systemctl reset-failed " + UNIT + "; " : "") + "systemctl start " + UNIT, ctx.masker()));
            }
            if (what.isEmpty()) {
                String cause = ctx.firstChanged(RESTART_ON);
                return new Change.NoOp(name(), tag(), "unit " + UNIT + " is " + s.activeState() + " and " + s.unitFileState()
                        + (cause == null ? "; none of its files changed"
                        : "; " + member + " restarts in its own stage, one member at a time (" + cause + " changed)"));
            }
            return new Change.Act(name(), tag(), Action.UPDATE, "unit " + UNIT + ": " + String.join(", ", what), steps, "");
        }
    }

    /**
     * The restart of one running member whose unit file or start-time settings changed. The
     * command first counts the other members that answer and refuses when they could not keep
     * quorum while this one is down; after the restart it waits until the member is healthy, so
     * the next member's stage starts from a whole cluster.
     */
    static final class Restart implements Task {
        private final String member;
        private final Etcdctl local;
        private final Secret rootPassword;
        private final List<String> others;
        private final int size;
        private final Scheme scheme;
        private final String peerUrl;
        private final EtcdMembers members;

        /**
         * @param local        etcdctl against this member, as it serves once the run is done
         * @param others       the other members' client addresses, {@code host:port}
         * @param rootPassword for probes that need a user
         * @param scheme       whether this run moves the member from http to https
         * @param peerUrl      the member's peer URL once the run is done
         * @param members      the member list, for the member's id when its peer URL changes
         */
        Restart(String member, Etcdctl local, List<String> others, Secret rootPassword, Scheme scheme, String peerUrl, EtcdMembers members) {
            this.member = member;
            this.local = local;
            this.others = List.copyOf(others);
            this.rootPassword = rootPassword;
            this.size = others.size() + 1;
            this.scheme = scheme;
            this.peerUrl = peerUrl;
            this.members = members;
        }

        @Override
        public String name() {
            return "restart " + UNIT + " on " + member;
        }

        @Override
        public String tag() {
            return "etcd_launch";
        }

        @Override
        public void require(FactRequest.Builder facts) {
            scheme.require(facts.units(UNIT).sections(EtcdMembers.NAME));
        }

        /**
         * How many other members must answer before this one goes down: a majority of the whole
         * cluster; with fewer than three members there is no majority without this one, so then
         * every other member.
         */
        int needed() {
            return Math.min(size / 2 + 1, size - 1);
        }

        @Override
        public Change plan(HostFacts facts, PlanContext ctx) {
            UnitState s = facts.unit(UNIT);
            String cause = ctx.firstChanged(RESTART_ON);
            if (!s.active()) {
                return new Change.NoOp(name(), tag(), member + " is not running: it starts with the new settings in the launch stage");
            }
            if (cause == null) {
                return new Change.NoOp(name(), tag(), member + " runs; neither its unit file nor the settings etcd reads at start changed"
                        + scheme.waiting(facts, ctx).map(w -> "; " + w).orElse(""));
            }
            boolean moving = scheme.moving(facts, ctx);
            List<Step> steps = new ArrayList<>();
            if (ctx.firstChanged(List.of(EtcdModule.UNIT)) != null) {
                steps.add(Step.Exec.of("systemctl daemon-reload", ctx.masker()));
            }
            String credentials = Etcdctl.credentials("root", rootPassword);
            if (needed() > 0) {
                steps.add(Step.Exec.withInput(quorumCheck(), credentials, ctx.masker()));
            }
            String how = "";
            if (moving) {
                // its peers reach it at its https URL from now on: announced just before it listens there
                EtcdMembers.Member listed = facts.extra(members).members().stream().filter(m -> m.name().equals(member)).findFirst()
                        .orElseThrow(() -> new PigException(PigException.Kind.FAILED, facts.host() + ": etcd does not list " + member
                                + " by name, so its peer URL cannot be moved to https; check 'etcdctl member list' on it"));
                if (!listed.peerUrl().equals(peerUrl)) {
                    steps.add(Step.Exec.withInput(local.plainHttp().stepPrelude() + Etcdctl.FUNCTION + " member update " + Shell.quote(listed.id())
                            + " --peer-urls=" + Shell.quote(peerUrl), credentials, ctx.masker()));
                }
                how = ", moving it from plain http to https (its peer URL to " + peerUrl + ")";
            }
            Etcdctl after = scheme.https(facts, ctx) ? local : local.plainHttp();
            steps.add(Step.Exec.of("systemctl restart " + UNIT, ctx.masker()));
            steps.add(Step.Exec.withInput(after.stepPrelude() + "for i in $(seq 60); do etcdctl_ endpoint health >/dev/null 2>&1 && exit 0;"
                    + " sleep 1; done; etcdctl_ endpoint health", credentials, ctx.masker()));
            return new Change.Act(name(), tag(), Action.UPDATE, "restart " + UNIT + " on " + member
                    + " (" + cause + " changed)" + how + ", once " + needed() + " of the other " + others.size()
                    + " members answer, then wait until it is healthy", steps, "");
        }

        private String quorumCheck() {
            Etcdctl.Tls tls = local.tls();
            String probe = "ETCDCTL_API=3 timeout 5 etcdctl --endpoints=\"$url\"" + Etcdctl.Tls.flags(tls) + " --dial-timeout=1s --command-timeout=2s";
            // each member over https and, while a cluster moves to it, over http too
            String urls = tls == null ? "http://$ep" : "https://$ep http://$ep";
            // root's credentials arrive on stdin and reach etcdctl in its environment
            return "IFS= read -r pig_etcd_user || exit 1; ok=0; for ep in " + Shell.join(others) + "; do for url in " + urls + "; do "
                    + "{ " + probe + " endpoint health || ETCDCTL_USER=\"$pig_etcd_user\" " + probe
                    + " endpoint health; } >/dev/null 2>&1 && { ok=$((ok+1)); break; }; done; done; "
                    + "[ $ok -ge " + needed() + " ] || { echo \"only $ok of the other " + others.size() + " members answer, "
                    + needed() + " must while " + member + " restarts: not restarting it; bring the others back first\" >&2; exit 1; }";
        }
    }
}
