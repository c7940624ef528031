package dev.pig.modules.node;

import dev.pig.core.fact.FactSection;

/**
 * Whether the host is a container ({@code systemd-detect-virt -c}, else systemd's
 * {@code /run/systemd/container}). In a container the kernel belongs to the host: most sysctls
 * are read-only and chrony cannot set the clock.
 */
public final class Virt implements FactSection<Virt.View> {
    public static final String NAME = "node.virt";
    public static final Virt SECTION = new Virt();

    /** @param container the container technology ({@code systemd-nspawn}, {@code docker}, {@code lxc}), or {@code none} */
    public record View(String container) {
        public boolean inContainer() {
            return !container.isEmpty() && !container.equals("none");
        }
    }

    private Virt() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String script() {
        return "if command -v systemd-detect-virt >/dev/null 2>&1; then systemd-detect-virt -c || true\n"
                + "elif [ -r /run/systemd/container ]; then head -n 1 /run/systemd/container\n"
                + "else echo none; fi\n";
    }

    @Override
    public View parse(String output) {
        String first = output.strip().lines().findFirst().orElse("none").strip();
        return new View(first.isEmpty() ? "none" : first);
    }
}
