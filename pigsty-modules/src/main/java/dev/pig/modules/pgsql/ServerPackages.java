package dev.pig.modules.pgsql;

import java.util.List;
import java.util.Optional;

import dev.pig.core.diag.PigException;
import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.os.OsRelease;
import dev.pig.core.os.OsReleases;
import dev.pig.core.plan.Change;
import dev.pig.core.task.BaseTask;
import dev.pig.core.task.PackagesTask;
import dev.pig.core.task.PlanContext;

/**
 * The packages an instance runs on ({@code pg_install}), in one transaction, refused at plan time
 * when the host's package sources have no {@code postgresql-<pg_version>}: a Debian release's own
 * archive packages one PostgreSQL major ({@code os-releases.yml}: 15 in Debian 12, 17 in Debian
 * 13), PGDG the others. Without this a {@code pg_version} the host cannot install stops the apply
 * at apt, after NODE and ETCD ran.
 *
 * <pre>
 * pg-trixie: { vars: { pg_version: 17 } }   # Debian 13's own; 15 there needs PGDG
 * </pre>
 */
final class ServerPackages extends BaseTask {
    private final int version;
    private final PackagesTask packages;

    ServerPackages(int version, List<String> packages) {
        super("packages postgresql " + version, "pg_install");
        this.version = version;
        this.packages = new PackagesTask("postgresql " + version, packages, "pg_install");
    }

    List<String> packages() {
        return packages.packages();
    }

    @Override
    public void require(FactRequest.Builder facts) {
        packages.require(facts);
    }

    @Override
    public Change plan(HostFacts facts, PlanContext ctx) {
        String server = "postgresql-" + version;
        // a source this plan adds (node_repo) is not in the package lists yet: apt decides then
        if (facts.pkg(server).available().equals(Optional.of(false)) && !ctx.changedUnder("/etc/apt")) {
            Optional<OsRelease> release = OsReleases.builtIn().of(facts.os());
            String where = facts.os().prettyName().isBlank() ? facts.os().id() + " " + facts.os().version() : facts.os().prettyName();
            throw new PigException(PigException.Kind.FAILED, "pg_version " + version + " cannot be installed on " + where
                    + ": package " + server + " is in none of this host's package sources."
                    + release.map(r -> " " + r.title() + "'s archive packages PostgreSQL " + r.pg() + ".").orElse("")
                    + "\n  Set pg_version" + release.filter(r -> r.pg() != version).map(r -> ": " + r.pg()).orElse("")
                    + " for the cluster, or add PGDG (apt.postgresql.org) with repo_upstream and node_repo_modules.");
        }
        return packages.plan(facts, ctx);
    }
}
