package dev.pig.core.task;

import java.util.ArrayList;
import java.util.List;

import dev.pig.core.diag.PigException;
import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.fact.OsInfo;
import dev.pig.core.fact.PackageState;
import dev.pig.core.plan.Action;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.Step;

/**
 * A set of OS packages installed in one package-manager run (one apt or dnf transaction is much
 * faster than one per package). On Debian, a dpkg left half-done by an interrupted run is
 * finished first, package lists are fetched when missing, and services are kept from starting
 * on install: pig starts what it manages when its configuration is in place. A package list
 * that cannot be fetched (an unreachable proxy or repository) fails the task with the
 * repository and the proxy named, instead of a later "Unable to locate package".
 *
 * <pre>
 * node_packages: [ openssh-server, chrony ]
 * </pre>
 */
public final class PackagesTask extends BaseTask {
    private final List<String> packages;
    private final String batch;
    private final List<String> first;

    public PackagesTask(String name, List<String> packages, String tag) {
        this(name, packages, tag, null);
    }

    /**
     * @param batch the package tasks of one host with the same batch install in one transaction,
     *              in the first of them that has something to install (the planner merges them);
     *              null for a task installing on its own
     */
    public PackagesTask(String name, List<String> packages, String tag, String batch) {
        this(name, packages, tag, batch, List.of());
    }

    /**
     * @param first the names of tasks planned before this one on the host that must run before
     *              its packages install: when the install joins an earlier one of its batch, the
     *              planner moves their steps there, just before it. REDIS masks the units its
     *              packages bring there, so that they can never start at a boot.
     */
    public PackagesTask(String name, List<String> packages, String tag, String batch, List<String> first) {
        super("packages " + name, tag);
        this.packages = List.copyOf(packages);
        this.batch = batch;
        this.first = List.copyOf(first);
    }

    public List<String> packages() {
        return packages;
    }

    @Override
    public void require(FactRequest.Builder facts) {
        facts.packages(packages.toArray(new String[0]));
    }

    @Override
    public Change plan(HostFacts facts, PlanContext ctx) {
        List<String> missing = new ArrayList<>();
        for (String p : packages) {
            PackageState s = facts.pkg(p);
            if (!s.installed()) {
                missing.add(p);
            }
        }
        if (missing.isEmpty()) {
            return noop(packages.size() == 1 ? "package " + packages.get(0) + " is installed (" + facts.pkg(packages.get(0)).version() + ")"
                    : "all " + packages.size() + " packages are installed");
        }
        String command = installCommand(facts.os(), facts.host(), missing);
        if (batch != null) {
            ctx.installs(batch, name(), missing, command, list -> installCommand(facts.os(), facts.host(), list), first);
        }
        return act(Action.CREATE, "install " + String.join(" ", missing), List.of(Step.Exec.of(command, ctx.masker())), "");
    }

    /**
     * Waits for another apt (a fresh Debian host runs apt-daily at boot, an operator may be in
     * apt too) instead of failing at once with "Could not get lock", as Ansible's apt module does.
     */
    static final String APT_WAIT = "-o DPkg::Lock::Timeout=300";

    /**
     * A shell function {@code pig_apt_update}: {@code apt-get update} that fails when any list
     * cannot be fetched. apt only warns about fetch failures and goes on with old or no lists, so
     * an unreachable proxy would surface later as "Unable to locate package"; this names the
     * repository, apt's reason and the proxy apt was configured with.
     */
    static final String APT_UPDATE = "pig_apt_update() { "
            + "pig_out=$(apt-get update -q -o APT::Update::Error-Mode=any " + APT_WAIT + " 2>&1); pig_rc=$?; printf '%s\\n' \"$pig_out\"; "
            + "if [ \"$pig_rc\" -eq 0 ] && ! printf '%s\\n' \"$pig_out\" | grep -q '^[WE]: Failed to fetch'; then return 0; fi; "
            + "printf '%s\\n' \"$pig_out\" | grep -m 2 -e '^[WE]: Failed to fetch' -e '^E: ' >&2; "
            + "pig_proxy=$(apt-config dump 2>/dev/null | sed -n 's/^Acquire::https*::Proxy \"\\(.*\\)\";$/\\1/p' | sort -u | paste -sd ' ' -); "
            + "echo \"apt-get update could not fetch the package lists${pig_proxy:+ through the proxy $pig_proxy (proxy_env)}: "
            + "check that the proxy and the repositories named above answer from this host\" >&2; return 1; }";

    /** Fetches the package lists, failing with the repository and proxy named when any cannot be fetched. */
    public static String updateCommand(OsInfo os, String host) {
        if (os.isDebianLike()) {
            return "export DEBIAN_FRONTEND=noninteractive; " + APT_UPDATE + "; pig_apt_update";
        }
        if (os.isRhelLike()) {
            return "dnf makecache -q";
        }
        throw new PigException(PigException.Kind.FAILED, host + ": no package manager known for " + os.id() + " " + os.version());
    }

    /** The command installing {@code missing} in one transaction, as {@link #plan} does. */
    public static String installCommand(OsInfo os, String host, List<String> missing) {
        String pkgs = String.join(" ", missing.stream().map(BaseTask::q).toList());
        if (os.isDebianLike()) {
            String install = "apt-get install -y -q --no-install-recommends -o Dpkg::Options::=--force-confold "
                    + APT_WAIT + " " + pkgs;
            return "export DEBIAN_FRONTEND=noninteractive; "
                    // an earlier run killed mid-install leaves dpkg half-configured
                    + "if [ -n \"$(ls -A /var/lib/dpkg/updates 2>/dev/null)\" ]; then dpkg --configure -a; fi; "
                    // services start when pig has configured them, not on install
                    + "printf '#!/bin/sh\\nexit 101\\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d; "
                    + "trap 'rm -f /usr/sbin/policy-rc.d' EXIT; "
                    + APT_UPDATE + "; "
                    + "{ [ -n \"$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v -e lock -e partial)\" ] && " + install + "; } "
                    + "|| { pig_apt_update && " + install + "; }";
        }
        if (os.isRhelLike()) {
            return "dnf install -y -q " + pkgs;
        }
        throw new PigException(PigException.Kind.FAILED, host + ": no package manager known for " + os.id() + " " + os.version());
    }
}
