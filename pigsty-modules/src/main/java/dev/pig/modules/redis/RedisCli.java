package dev.pig.modules.redis;

import java.util.ArrayList;
import java.util.List;

import dev.pig.core.model.RedisCluster;
import dev.pig.core.model.Secret;
import dev.pig.core.ssh.Shell;

/**
 * How pig reaches one Redis instance (or sentinel) with {@code redis-cli}: its address, its port
 * and the password of its cluster. The password never reaches a command line: redis-cli takes
 * it from {@code REDISCLI_AUTH}, which a step sets from the first line of its stdin
 * ({@link #PRELUDE}) and a fact sets by an assignment in the facts script (which travels on
 * stdin); a secret argument (a new password, a sentinel's auth-pass) reaches redis-cli on its
 * stdin with {@code -x}. Every command runs with {@code -e}, so an error reply fails the step.
 *
 * <pre>{@code
 * RedisCli cli = RedisCli.of(instance, "0.0.0.0", password);
 * String step = RedisCli.PRELUDE + cli.cmd("CONFIG", "SET", "maxmemory", "67108864");   // stdin: cli.input()
 * String add = RedisCli.PRELUDE + cli.withSecret("pig_new", ">", "ACL", "SETUSER", "default");
 * }</pre>
 *
 * @param host     where it answers: its node's IP, or the address it binds to when that is another one
 * @param port     its port
 * @param password {@code redis_password} of its cluster; empty when it has none
 */
public record RedisCli(String host, int port, Secret password) {

    /**
     * The first lines of a step: the password from the first line of stdin into
     * {@code REDISCLI_AUTH} (left unset when empty, or redis-cli would send an empty AUTH).
     */
    public static final String PRELUDE = "IFS= read -r pig_pw || true\n"
            + "if [ -n \"$pig_pw\" ]; then export REDISCLI_AUTH=\"$pig_pw\"; else unset REDISCLI_AUTH; fi\n";

    /** The instance as its node reaches it: {@code redis_bind_address} 0.0.0.0 or empty means the node's own IP. */
    public static RedisCli of(RedisCluster.Instance i, String bindAddress, Secret password) {
        String host = bindAddress.isEmpty() || bindAddress.equals("0.0.0.0") ? i.ip() : bindAddress;
        return new RedisCli(host, i.port(), password);
    }

    /** The same instance, with another password (a sentinel probing the master it watches). */
    public RedisCli withPassword(Secret other) {
        return new RedisCli(host, port, other);
    }

    /** Another instance reached with the same password: a node a native cluster lists. */
    public RedisCli withHost(RedisCluster.Endpoint e) {
        return new RedisCli(e.host(), e.port(), password);
    }

    /** {@code host:port}. */
    public String address() {
        return host + ":" + port;
    }

    /** What a step built by this helper reads on stdin: the password, then any {@code extra} secrets, a line each. */
    public String input(String... extra) {
        StringBuilder b = new StringBuilder(password.reveal()).append('\n');
        for (String e : extra) {
            b.append(e).append('\n');
        }
        return b.toString();
    }

    /** redis-cli on this instance, authenticated from {@code REDISCLI_AUTH}, failing on an error reply. */
    public String cmd(String... args) {
        List<String> words = new ArrayList<>(List.of("redis-cli", "--no-auth-warning", "-e", "-h", host, "-p", String.valueOf(port)));
        words.addAll(List.of(args));
        return Shell.join(words);
    }

    /**
     * redis-cli with the value of the shell variable {@code var}, after {@code prefix}, as its last
     * argument, read from stdin ({@code -x}): {@code printf '>%s' "$pig_new" | redis-cli -x ACL SETUSER default}.
     */
    public String withSecret(String var, String prefix, String... args) {
        List<String> words = new ArrayList<>(List.of("redis-cli", "--no-auth-warning", "-e", "-h", host, "-p", String.valueOf(port), "-x"));
        words.addAll(List.of(args));
        return "printf " + Shell.quote(prefix.replace("%", "%%") + "%s") + " \"$" + var + "\" | " + Shell.join(words);
    }

    /** A loop that waits up to {@code seconds} for the instance to answer PING, then fails saying so. */
    public String waitPing(int seconds, String name) {
        String ping = "[ \"$(" + Shell.join(List.of("redis-cli", "--no-auth-warning", "-h", host, "-p", String.valueOf(port), "PING"))
                + " 2>/dev/null)\" = PONG ]";
        return "for i in $(seq " + seconds + "); do " + ping + " && exit 0; sleep 1; done; echo "
                + Shell.quote(name + " does not answer PING at " + address() + " after " + seconds + " s") + " >&2; exit 1";
    }
}
