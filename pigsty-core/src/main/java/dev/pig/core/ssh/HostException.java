package dev.pig.core.ssh;

import dev.pig.core.diag.PigException;

/**
 * A failure tied to one host (unreachable, authentication refused, host key changed, command
 * timed out). The message is one line starting with the host, e.g.
 * {@code 10.10.10.11: connection refused (port 22)}, so a caller can report it and go on with the
 * other hosts.
 */
public class HostException extends PigException {
    private static final long serialVersionUID = 1L;

    private final String host;

    public HostException(Kind kind, String host, String reason) {
        super(kind, host + ": " + reason);
        this.host = host;
    }

    public HostException(Kind kind, String host, String reason, Throwable cause) {
        super(kind, host + ": " + reason, cause);
        this.host = host;
    }

    public String host() {
        return host;
    }

    /** The message without the leading host name. */
    public String reason() {
        return getMessage().substring(host.length() + 2);
    }
}
