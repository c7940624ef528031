package dev.pig.core.fact;

/**
 * A systemd unit, from {@code systemctl show}.
 *
 * @param loadState       {@code loaded}, {@code not-found}, ...
 * @param activeState     {@code active}, {@code inactive}, {@code failed}, ...
 * @param unitFileState   {@code enabled}, {@code disabled}, {@code static}, empty when there is no unit file
 * @param activeSinceMono {@code ActiveEnterTimestampMonotonic}: changes on every (re)start, so it
 *                        tells whether a restart happened
 */
public record UnitState(String name, String loadState, String activeState, String subState, String unitFileState,
                        long activeSinceMono, long mainPid) {

    /** What an unknown unit looks like, also used when systemd is not running. */
    public static UnitState notFound(String name) {
        return new UnitState(name, "not-found", "inactive", "dead", "", 0, 0);
    }

    public boolean exists() {
        return !loadState.equals("not-found");
    }

    public boolean active() {
        return activeState.equals("active") || activeState.equals("reloading") || activeState.equals("activating");
    }

    public boolean enabled() {
        return unitFileState.equals("enabled") || unitFileState.equals("enabled-runtime")
                || unitFileState.equals("static") || unitFileState.equals("alias");
    }
}
