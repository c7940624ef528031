package dev.pig.core.fact;

import java.util.List;

/**
 * The operating system, from {@code /etc/os-release} and {@code uname}.
 *
 * @param id       {@code ID}, e.g. {@code debian}, {@code ubuntu}, {@code rocky}
 * @param idLike   {@code ID_LIKE} words, e.g. {@code [rhel, centos, fedora]}
 * @param version  {@code VERSION_ID}, e.g. {@code 12}, {@code 9.3}
 * @param arch     {@code uname -m}, e.g. {@code x86_64}, {@code aarch64}
 * @param systemd  whether systemd is the running init system
 */
public record OsInfo(String id, List<String> idLike, String version, String codename, String prettyName,
                     String arch, String kernel, boolean systemd) {

    public OsInfo {
        idLike = List.copyOf(idLike);
    }

    /** Debian, Ubuntu and their derivatives: apt and dpkg. */
    public boolean isDebianLike() {
        return id.equals("debian") || id.equals("ubuntu") || idLike.contains("debian") || idLike.contains("ubuntu");
    }

    /** RHEL, Rocky, Alma, Oracle Linux and friends: dnf and rpm. */
    public boolean isRhelLike() {
        return id.equals("rhel") || idLike.contains("rhel") || idLike.contains("fedora") || idLike.contains("centos");
    }

    /** The major version, e.g. {@code 9} for {@code 9.3}. */
    public String majorVersion() {
        int dot = version.indexOf('.');
        return dot < 0 ? version : version.substring(0, dot);
    }
}
