package dev.pig.modules.node;

import java.util.List;

import dev.pig.core.diag.PigException;
import dev.pig.core.fact.OsInfo;

/**
 * Everything about NODE that differs between distributions: package names and the paths their
 * packages use. The package manager itself (apt or dnf) is chosen by the engine's package task;
 * a new family (EL) is one more constant here.
 *
 * @param aptProxy         where the package proxy goes, or null where the family has no drop-in directory for it
 * @param timezoneFile     the plain-text zone name some tools read, or null where the family has none
 * @param exporterDefaults the environment file whose {@code ARGS} the exporter's unit passes on
 */
public record NodeOs(String family, List<String> defaultPackages, String aptProxy, String chronyConf,
                     String chronyUnit, String chronyKeys, String chronyDrift, String exporterPackage,
                     String exporterUnit, String exporterDefaults, String haproxyDefaults, String timezoneFile) {

    /** Debian and Ubuntu: their own packages of chrony, node_exporter and haproxy. */
    public static final NodeOs DEBIAN = new NodeOs("debian",
            List.of("chrony", "cron", "sudo", "curl", "lsof", "procps", "iproute2", "ca-certificates", "python3", "rsync",
                    "acl", "tzdata", "gnupg", "openssh-client"),
            "/etc/apt/apt.conf.d/80pig-proxy",
            "/etc/chrony/chrony.conf", "chrony.service", "/etc/chrony/chrony.keys", "/var/lib/chrony/chrony.drift",
            "prometheus-node-exporter", "prometheus-node-exporter.service", "/etc/default/prometheus-node-exporter",
            "/etc/default/haproxy", "/etc/timezone");

    /** Every family NODE knows; tasks ask for the facts of all of them before the host's family is known. */
    public static List<NodeOs> known() {
        return List.of(DEBIAN);
    }

    /** The family of a host, from its facts. */
    public static NodeOs of(OsInfo os, String host) {
        if (os.isDebianLike()) {
            return DEBIAN;
        }
        throw new PigException(PigException.Kind.FAILED, host + ": the NODE module supports Debian and Ubuntu so far, not "
                + (os.prettyName().isEmpty() ? os.id() + " " + os.version() : os.prettyName()));
    }
}
