package dev.pig.modules.node;

import java.util.List;
import java.util.Map;

import dev.pig.core.diag.PigException;
import dev.pig.core.fact.OsInfo;
import dev.pig.core.model.RepoUpstream;

/**
 * Everything about NODE that differs between distributions: package names, the paths their
 * packages use and where package sources live. The package manager itself (apt or dnf) is chosen
 * by the engine's package task; a new family (EL) is one more constant here.
 *
 * @param aptProxy         where the package proxy goes, or null where the family has no drop-in directory for it
 * @param timezoneFile     the plain-text zone name some tools read, or null where the family has none
 * @param exporterDefaults the environment file whose {@code ARGS} the exporter's unit passes on
 * @param repo             where package sources are written, and the family's own archives
 */
public record NodeOs(String family, List<String> defaultPackages, String aptProxy, String chronyConf,
                     String chronyUnit, String chronyKeys, String chronyDrift, String exporterPackage,
                     String exporterUnit, String exporterDefaults, String haproxyDefaults, String timezoneFile,
                     Repo repo) {

    /**
     * Package sources of a family: one file per module of {@code node_repo_modules} in
     * {@code dir}, rendered from {@code template}; {@code node_repo_remove} moves every other
     * source file (and {@code mainFile}) to {@code backupDir}.
     *
     * @param builtIn the sources used when the inventory has no {@code repo_upstream}: the
     *                distributions' own archives, module {@code node}
     */
    public record Repo(String dir, String mainFile, String backupDir, String extension, String template,
                       List<RepoUpstream> builtIn) {
        public Repo {
            builtIn = List.copyOf(builtIn);
        }

        /** The file of one module, {@code /etc/apt/sources.list.d/node.list}. */
        public String file(String module) {
            return dir + "/" + module + extension;
        }

        /** Whether a path is a package source of this family (so node_repo_remove may move it). */
        public boolean holds(String path) {
            return path.equals(mainFile) || path.startsWith(dir + "/");
        }
    }

    private static RepoUpstream archive(String name, String description, List<String> releases, List<String> arch,
                                        String url, String china) {
        return new RepoUpstream(name, description, "node", releases, arch, Map.of("default", url, "china", china));
    }

    private static final List<String> DEBIAN_RELEASES = List.of("11", "12", "13");
    private static final List<String> UBUNTU_RELEASES = List.of("22", "24");
    private static final String UBUNTU_COMPONENTS = " main restricted universe multiverse";

    /**
     * The archives of Debian and Ubuntu (Pigsty's module {@code node}). apt checks them against the
     * keyrings the distribution installs, so they need no {@code [trusted=yes]}.
     */
    static final List<RepoUpstream> DEB_ARCHIVES = List.of(
            archive("base", "Debian Basic", DEBIAN_RELEASES, List.of(),
                    "http://deb.debian.org/debian/ ${distro_codename} main",
                    "https://mirrors.aliyun.com/debian/ ${distro_codename} main"),
            archive("updates", "Debian Updates", DEBIAN_RELEASES, List.of(),
                    "http://deb.debian.org/debian/ ${distro_codename}-updates main",
                    "https://mirrors.aliyun.com/debian/ ${distro_codename}-updates main"),
            archive("security", "Debian Security", DEBIAN_RELEASES, List.of(),
                    "http://security.debian.org/debian-security ${distro_codename}-security main",
                    "https://mirrors.aliyun.com/debian-security/ ${distro_codename}-security main"),
            archive("base", "Ubuntu Basic", UBUNTU_RELEASES, List.of("x86_64"),
                    "https://mirrors.edge.kernel.org/ubuntu/ ${distro_codename}" + UBUNTU_COMPONENTS,
                    "https://mirrors.aliyun.com/ubuntu/ ${distro_codename}" + UBUNTU_COMPONENTS),
            archive("updates", "Ubuntu Updates", UBUNTU_RELEASES, List.of("x86_64"),
                    "https://mirrors.edge.kernel.org/ubuntu/ ${distro_codename}-updates" + UBUNTU_COMPONENTS,
                    "https://mirrors.aliyun.com/ubuntu/ ${distro_codename}-updates" + UBUNTU_COMPONENTS),
            archive("security", "Ubuntu Security", UBUNTU_RELEASES, List.of("x86_64"),
                    "https://mirrors.edge.kernel.org/ubuntu/ ${distro_codename}-security" + UBUNTU_COMPONENTS,
                    "https://mirrors.aliyun.com/ubuntu/ ${distro_codename}-security" + UBUNTU_COMPONENTS),
            archive("base", "Ubuntu Basic", UBUNTU_RELEASES, List.of("aarch64"),
                    "http://ports.ubuntu.com/ubuntu-ports/ ${distro_codename}" + UBUNTU_COMPONENTS,
                    "https://mirrors.aliyun.com/ubuntu-ports/ ${distro_codename}" + UBUNTU_COMPONENTS),
            archive("updates", "Ubuntu Updates", UBUNTU_RELEASES, List.of("aarch64"),
                    "http://ports.ubuntu.com/ubuntu-ports/ ${distro_codename}-updates" + UBUNTU_COMPONENTS,
                    "https://mirrors.aliyun.com/ubuntu-ports/ ${distro_codename}-updates" + UBUNTU_COMPONENTS),
            archive("security", "Ubuntu Security", UBUNTU_RELEASES, List.of("aarch64"),
                    "http://ports.ubuntu.com/ubuntu-ports/ ${distro_codename}-security" + UBUNTU_COMPONENTS,
                    "https://mirrors.aliyun.com/ubuntu-ports/ ${distro_codename}-security" + UBUNTU_COMPONENTS));

    /** Debian and Ubuntu: their own packages of chrony, node_exporter and haproxy. */
    public static final NodeOs DEBIAN = new NodeOs("debian",
            List.of("chrony", "cron", "sudo", "curl", "lsof", "procps", "iproute2", "ca-certificates", "python3", "rsync",
                    "acl", "tzdata", "gnupg", "openssh-client"),
            "/etc/apt/apt.conf.d/80pig-proxy",
            "/etc/chrony/chrony.conf", "chrony.service", "/etc/chrony/chrony.keys", "/var/lib/chrony/chrony.drift",
            "prometheus-node-exporter", "prometheus-node-exporter.service", "/etc/default/prometheus-node-exporter",
            "/etc/default/haproxy", "/etc/timezone",
            new Repo("/etc/apt/sources.list.d", "/etc/apt/sources.list", "/etc/apt/backup", ".list",
                    "node/apt-sources.list.ftl", DEB_ARCHIVES));

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
