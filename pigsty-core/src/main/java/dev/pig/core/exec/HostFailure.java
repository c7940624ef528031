package dev.pig.core.exec;

/**
 * Why one host stopped.
 *
 * @param step   the task that failed, or a phase such as {@code connect}, {@code facts}, {@code stale plan}
 * @param detail one line, or the masked tail of stderr
 */
public record HostFailure(String host, String step, String detail) {
    @Override
    public String toString() {
        return host + ": " + step + ": " + detail;
    }
}
