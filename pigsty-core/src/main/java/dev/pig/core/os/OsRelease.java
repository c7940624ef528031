package dev.pig.core.os;

/**
 * One Debian release as pig knows it.
 *
 * <pre>
 * trixie: { debian: 13, pg: 17 }
 * </pre>
 *
 * @param codename its codename, also its archive's suite: {@code trixie}
 * @param debian   its version: {@code 13}
 * @param pg       the PostgreSQL major version its own archive packages: {@code 17}
 */
public record OsRelease(String codename, int debian, int pg) {

    /** How messages name it: {@code Debian 13 (trixie)}. */
    public String title() {
        return "Debian " + debian + " (" + codename + ")";
    }
}
