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
 * Etcdctl ctl = Etcdctl.local(2379);
 * Step.Exec s = Step.Exec.withInput(ctl.stepPrelude() + "etcdctl_ member list", Etcdctl.credentials("root", pw), masker);
 * }</pre>
 *
 * @param endpoints comma-separated {@code host:port} or URLs
 */
public record Etcdctl(String endpoints) {
    /** The function steps and scripts call: anonymous first (auth not enabled yet), then as root. */
    public static final String FUNCTION = "etcdctl_";

    public static Etcdctl local(int port) {
        return new Etcdctl("127.0.0.1:" + port);
    }

    /** Every member of {@code cluster}, by address and client port. */
    public static Etcdctl of(EtcdCluster cluster) {
        return new Etcdctl(String.join(",", cluster.members().stream().map(m -> m.ip() + ":" + m.port()).toList()));
    }

    public static Etcdctl of(List<String> endpoints) {
        return new Etcdctl(String.join(",", endpoints));
    }

    /** The command without credentials. */
    public String plain(String... args) {
        return "ETCDCTL_API=3 etcdctl --endpoints=" + Shell.quote(endpoints) + " --command-timeout=5s"
                + (args.length == 0 ? "" : " " + Shell.join(List.of(args)));
    }

    /**
     * The command as {@code user}, the credentials in its environment: for facts sections and
     * checks only, whose text is never a command line.
     */
    public String withUser(String user, Secret password, String... args) {
        return "ETCDCTL_USER=" + Shell.quote(user + ":" + password.reveal()) + " " + plain(args);
    }

    /** Defines {@link #FUNCTION} with root's password in the text: for facts sections and checks. */
    public String inlinePrelude(Secret rootPassword) {
        return FUNCTION + "() { env -u ETCDCTL_USER " + plain() + " \"$@\" 2>/dev/null || ETCDCTL_USER="
                + Shell.quote("root:" + rootPassword.reveal()) + " " + plain() + " \"$@\"; }; ";
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
