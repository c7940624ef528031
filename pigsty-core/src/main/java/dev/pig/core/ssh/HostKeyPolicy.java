package dev.pig.core.ssh;

import dev.pig.core.diag.PigException;

/** What to do with a host key that is not in a known_hosts file yet. A changed key is refused unless {@link #OFF}. */
public enum HostKeyPolicy {
    /** Accept an unknown key and record it in pig's own known_hosts; refuse a changed key. */
    ACCEPT_NEW("accept-new"),
    /** Accept only keys already recorded. */
    STRICT("strict"),
    /** Accept every key; for throwaway lab machines only. */
    OFF("off");

    private final String label;

    HostKeyPolicy(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static HostKeyPolicy parse(String s) {
        for (HostKeyPolicy p : values()) {
            if (p.label.equalsIgnoreCase(s.trim())) {
                return p;
            }
        }
        throw new PigException(PigException.Kind.USAGE,
                "unknown host key policy '" + s + "' (expected accept-new, strict or off)");
    }
}
