package dev.pig.modules.etcd;

import java.util.List;

import dev.pig.core.model.EtcdCluster;
import dev.pig.core.model.Secret;
import dev.pig.core.ssh.Shell;

/**
 * How pig runs etcdctl against a set of endpoints: API v3, short timeouts, and credentials in the
 * environment of the call ({@code ETCDCTL_USER}), never on its command line, which every local
 * user of the host can read with {@code ps}.
 *
 * <p>Two places hold shell text. A facts section or a guard check travels inside the facts
 * script, on the command's stdin: there the credentials may stand in the text
 * ({@link #withUser}). A step's command is a command line: it reads them from its stdin instead
 * ({@link #stepPrelude}, fed with {@link #credentials}).
 *
 * <pre>{@code
 * Etcdctl ctl = Etcdctl.local(2379, Etcdctl.MEMBER);
 * Step.Exec s = Step.Exec.withInput(ctl.stepPrelude() + "etcdctl_ member list", Etcdctl.credentials("root", pw), masker);
 * }</pre>
 *
 * <p>With {@link Tls} it speaks https and presents a client certificate ({@code etcd_tls}).
 */
public record Etcdctl(String endpoints, Tls tls) {
    /** The function steps and scripts call: anonymous first (auth not enabled yet), then as root. */
    public static final String FUNCTION = "etcdctl_";

    /**
     * The files etcdctl proves itself with over https ({@code etcd_tls}): the CA that signed the
     * servers' certificates, and a certificate of the same CA with its key as the client's.
     */
    public record Tls(String ca, String cert, String key) {
        /** etcdctl's flags for these files, with a leading space; none for plain http ({@code tls} null). */
        public static String flags(Tls tls) {
            return tls == null ? "" : " --cacert=" + Shell.quote(tls.ca()) + " --cert=" + Shell.quote(tls.cert()) + " --key=" + Shell.quote(tls.key());
        }
    }

    /** An etcd member's own files, which root on the member uses as its client certificate too. */
    public static final Tls MEMBER = new Tls(EtcdModule.PKI + "/ca.crt", EtcdModule.PKI + "/server.crt", EtcdModule.PKI + "/server.key");

    /** @param endpoints comma-separated {@code host:port}, or URLs whose scheme {@code tls} decides */
    public Etcdctl {
        endpoints = String.join(",", java.util.Arrays.stream(endpoints.split(",")).map(Etcdctl::hostPort).toList());
    }

    /** This host's member, on its loopback address; {@code tls} null for plain http. */
    public static Etcdctl local(int port, Tls tls) {
        return new Etcdctl("127.0.0.1:" + port, tls);
    }

    /** Every member of {@code cluster}, by address and client port. */
    public static Etcdctl of(EtcdCluster cluster, Tls tls) {
        return new Etcdctl(String.join(",", cluster.members().stream().map(m -> m.ip() + ":" + m.port()).toList()), tls);
    }

    public static Etcdctl of(List<String> endpoints, Tls tls) {
        return new Etcdctl(String.join(",", endpoints), tls);
    }

    /** The same endpoints over plain http: for a member not moved to https yet. */
    public Etcdctl plainHttp() {
        return new Etcdctl(endpoints, null);
    }

    /** {@code host:port} of a URL or of {@code host:port} itself. */
    public static String hostPort(String urlOrHostPort) {
        int i = urlOrHostPort.indexOf("://");
        return i < 0 ? urlOrHostPort.strip() : urlOrHostPort.substring(i + 3).strip();
    }

    /** The URL scheme etcd is reached with: {@code https} with {@code tls}, else {@code http}. */
    public static String scheme(Tls tls) {
        return tls == null ? "http" : "https";
    }

    /** The command without credentials. */
    public String plain(String... args) {
        String eps = String.join(",", java.util.Arrays.stream(endpoints.split(",")).map(e -> scheme(tls) + "://" + e).toList());
        return "ETCDCTL_API=3 etcdctl --endpoints=" + Shell.quote(eps) + Tls.flags(tls) + " --command-timeout=5s"
                + (args.length == 0 ? "" : " " + Shell.join(List.of(args)));
    }

    /**
     * The command as {@code user}, the credentials in its environment: for facts sections and
     * checks only, whose text is never a command line.
     */
    public String withUser(String user, Secret password, String... args) {
        return "ETCDCTL_USER=" + Shell.quote(user + ":" + password.reveal()) + " " + plain(args);
    }

    /**
     * Defines {@link #FUNCTION} with root's password in the text: for facts sections and checks.
     * Over https it falls back to plain http, so a plan still reads a member not moved to https yet.
     */
    public String inlinePrelude(Secret rootPassword) {
        String root = Shell.quote("root:" + rootPassword.reveal());
        String body = tls == null ? attempts(this, root, "") : attempts(this, root, " 2>/dev/null") + " || " + attempts(plainHttp(), root, "");
        return FUNCTION + "() { " + body + "; }; ";
    }

    private static String attempts(Etcdctl ctl, String user, String lastErrors) {
        return "env -u ETCDCTL_USER " + ctl.plain() + " \"$@\" 2>/dev/null || ETCDCTL_USER=" + user + " " + ctl.plain() + " \"$@\"" + lastErrors;
    }

    /**
     * Defines {@link #FUNCTION} for a step, reading {@code user:password} from the first line of
     * the step's stdin; the step's input starts with {@link #credentials}.
     */
    public String stepPrelude() {
        return "IFS= read -r pig_etcd_user || { echo 'no etcd credentials on stdin' >&2; exit 1; }\n"
                + FUNCTION + "() { env -u ETCDCTL_USER " + plain() + " \"$@\" 2>/dev/null || ETCDCTL_USER=\"$pig_etcd_user\" "
                + plain() + " \"$@\"; }\n";
    }

    /** The first line of a step's stdin for {@link #stepPrelude}. */
    public static String credentials(String user, Secret password) {
        return user + ":" + password.reveal() + "\n";
    }
}
