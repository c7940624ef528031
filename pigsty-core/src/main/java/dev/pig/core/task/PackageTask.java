package dev.pig.core.task;

import dev.pig.core.diag.PigException;
import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.fact.OsInfo;
import dev.pig.core.fact.PackageState;
import dev.pig.core.plan.Action;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.Step;

import java.util.List;

/**
 * An OS package, installed with apt or dnf.
 *
 * <pre>
 * node_packages: [ patroni, pgbouncer ]
 * pg_version: 16
 * </pre>
 *
 * @param version a version prefix ({@code 16.4}), or null for any
 */
public final class PackageTask extends BaseTask {
    private final String pkg;
    private final String version;

    public PackageTask(String pkg, String version, String tag) {
        super("package " + pkg, tag);
        this.pkg = pkg;
        this.version = version;
    }

    @Override
    public void require(FactRequest.Builder facts) {
        facts.packages(pkg);
    }

    @Override
    public Change plan(HostFacts facts, PlanContext ctx) {
        PackageState s = facts.pkg(pkg);
        if (s.installed() && (version == null || s.version().startsWith(version)
                || s.version().contains(":" + version))) {
            return noop("package " + pkg + " is installed (" + s.version() + ")");
        }
        String cmd = installCommand(facts.os(), facts.host());
        if (!s.installed()) {
            return act(Action.CREATE, "package " + pkg + (version == null ? "" : " " + version),
                    List.of(Step.Exec.of(cmd, ctx.masker())), "");
        }
        return act(Action.UPDATE, "package " + pkg + ": " + s.version() + " -> " + version,
                List.of(Step.Exec.of(cmd, ctx.masker())), "");
    }

    private String installCommand(OsInfo os, String host) {
        if (os.isDebianLike()) {
            String spec = version == null ? pkg : pkg + "=" + version + "*";
            return "DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o Dpkg::Options::=--force-confold "
                    + PackagesTask.APT_WAIT + " " + q(spec);
        }
        if (os.isRhelLike()) {
            String spec = version == null ? pkg : pkg + "-" + version + "*";
            return "dnf install -y -q " + q(spec);
        }
        throw new PigException(PigException.Kind.FAILED,
                host + ": no package manager known for " + os.id() + " " + os.version());
    }
}
