package dev.pig.core.ssh;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The connection pool of a run: one transport per host, opened on first use and reused by every
 * fact query, plan and apply step, closed together at the end. Failed connects are not cached,
 * so a later step may retry.
 */
public final class Connections implements AutoCloseable {

    /** Opens a transport; replaced in tests. */
    @FunctionalInterface
    public interface Opener {
        Transport open(SshTarget target, ConnectOptions opts);
    }

    private final ConnectOptions opts;
    private final Opener opener;
    private final Map<String, Transport> open = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    public Connections(ConnectOptions opts) {
        this(opts, Connections::defaultOpen);
    }

    public Connections(ConnectOptions opts, Opener opener) {
        this.opts = opts;
        this.opener = opener;
    }

    public ConnectOptions options() {
        return opts;
    }

    /**
     * The transport for a target, connecting if needed.
     *
     * @throws HostException when the host cannot be reached
     */
    public Transport get(SshTarget target) {
        Transport t = open.get(target.host());
        if (t != null) {
            return t;
        }
        // connect outside the map's lock so slow hosts do not block each other
        synchronized (locks.computeIfAbsent(target.host(), k -> new Object())) {
            t = open.get(target.host());
            if (t == null) {
                t = opener.open(target, opts);
                open.put(target.host(), t);
            }
            return t;
        }
    }

    /** Commands run so far on each host, for round-trip accounting. */
    public Map<String, Integer> roundTrips() {
        Map<String, Integer> m = new LinkedHashMap<>();
        open.forEach((h, t) -> m.put(h, t.commandCount()));
        return m;
    }

    @Override
    public void close() {
        open.values().forEach(Transport::close);
        open.clear();
    }

    private static Transport defaultOpen(SshTarget t, ConnectOptions o) {
        return t.local() ? new LocalTransport(t) : SshjTransport.connect(t, o);
    }
}
