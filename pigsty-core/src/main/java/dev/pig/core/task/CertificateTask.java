package dev.pig.core.task;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.FileState;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.pki.Certificate;
import dev.pig.core.plan.Action;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.Step;

/**
 * A certificate the inventory's CA issues for a key that stays on the host ({@link Step.Sign}).
 * It is issued when missing, and issued again when the CA did not sign it, when its names are
 * not the ones wanted, when its key is gone, or when less than a third of its lifetime is left
 * ({@code ~ certificate ... renew (expires ...)}); otherwise it is not touched. A certificate
 * issued is followed by {@code reload}: the steps that make its service read it when it runs.
 *
 * <pre>{@code
 * new CertificateTask("/pg/cert/server.crt", "/pg/cert/server.key", request, List.of("DNS:pg-test", "IP:10.10.10.11"), 7300,
 *         ca.certificate(), "0644", "postgres", List.of(reloadPostgres), "pg_cert")
 * }</pre>
 */
public final class CertificateTask extends BaseTask {
    private final String path;
    private final String key;
    private final String request;
    private final List<String> names;
    private final int days;
    private final Certificate ca;
    private final String mode;
    private final String owner;
    private final List<Step> reload;
    private final Clock clock;

    /**
     * @param request the command printing a request made with {@code key} on the host (see {@link Step.Sign})
     * @param names   the subject alternative names it must have
     * @param days    the lifetime it is issued with ({@code cert_validity})
     * @param ca      the CA that must have signed it
     * @param reload  what makes the service read a certificate issued again
     */
    public CertificateTask(String path, String key, String request, List<String> names, int days, Certificate ca, String mode,
                           String owner, List<Step> reload, String tag) {
        this(path, key, request, names, days, ca, mode, owner, reload, tag, Clock.systemUTC());
    }

    CertificateTask(String path, String key, String request, List<String> names, int days, Certificate ca, String mode,
                    String owner, List<Step> reload, String tag, Clock clock) {
        super("certificate " + path, tag);
        this.path = path;
        this.key = key;
        this.request = request;
        this.names = Certificate.normalize(names);
        this.days = days;
        this.ca = ca;
        this.mode = mode;
        this.owner = owner;
        this.reload = List.copyOf(reload);
        this.clock = clock;
    }

    /**
     * The command that prints a request for {@code key} (made first when missing: EC P-256, 0600)
     * with {@code cn} as its subject, run as the service's user: {@code runAs} turns a command's
     * words into what runs them as that user, so root never writes into that user's directory.
     */
    public static String request(java.util.function.Function<String[], String> runAs, String key, String cn) {
        return requestFor(runAs, key, "/CN=" + cn);
    }

    /**
     * What runs a command's words as {@code user} (its own group), from {@code /}: the
     * {@code runAs} of {@link #request} for a service's own user, so root never writes into its
     * directory.
     */
    public static java.util.function.Function<String[], String> asUser(String user) {
        return argv -> {
            List<String> words = new ArrayList<>(List.of("setpriv", "--reuid=" + user, "--regid=" + user, "--init-groups", "--"));
            words.addAll(List.of(argv));
            return "(cd / && exec " + dev.pig.core.ssh.Shell.join(words) + ")";
        };
    }

    /** {@link #request} with a whole subject ({@code /O=pig/OU=pg-test-1}): one without a common name. */
    public static String requestFor(java.util.function.Function<String[], String> runAs, String key, String subject) {
        return "command -v openssl >/dev/null || { echo 'openssl is missing: apt-get install openssl' >&2; exit 1; }\n"
                + runAs.apply(new String[]{"sh", "-c", "umask 077 && { test -s \"$1\" || openssl genpkey -algorithm EC -pkeyopt"
                + " ec_paramgen_curve:P-256 -out \"$1\"; } && openssl req -new -key \"$1\" -subj \"$2\"", "sh", key, subject});
    }

    @Override
    public void require(FactRequest.Builder facts) {
        facts.fileWithContent(path);
        facts.files(key);
    }

    @Override
    public Change plan(HostFacts facts, PlanContext ctx) {
        List<Step> steps = new ArrayList<>();
        steps.add(new Step.Sign(request, names, days, path, mode, owner, owner));
        steps.addAll(reload);
        FileState crt = facts.file(path);
        String by = " by " + caName();
        if (!crt.exists()) {
            ctx.changed(path);
            return act(Action.CREATE, name() + " issued" + by + " for " + String.join(",", names) + " (" + days + " days)", steps, "");
        }
        String why = reason(facts, crt);
        if (why == null) {
            Certificate c = Certificate.parse(crt.content()).orElseThrow();
            return noop(name() + " is issued" + by + " for the same names and expires " + c.expires());
        }
        ctx.changed(path);
        return act(Action.UPDATE, name() + " " + why, steps, "");
    }

    /** Why the certificate is issued again, or null when it is kept. */
    private String reason(HostFacts facts, FileState crt) {
        if (!facts.file(key).exists()) {
            return "issued again: its key " + key + " is missing (a new one is made)";
        }
        var parsed = Certificate.parse(crt.content());
        if (parsed.isEmpty()) {
            return "issued again: the file holds no certificate";
        }
        Certificate c = parsed.get();
        if (!c.issuedBy(ca.x509())) {
            return "issued again by " + caName() + ": " + c.issuer() + " issued it";
        }
        if (!new java.util.HashSet<>(c.names()).equals(new java.util.HashSet<>(names))) {
            List<String> added = names.stream().filter(n -> !c.names().contains(n)).toList();
            List<String> dropped = c.names().stream().filter(n -> !names.contains(n)).toList();
            return "issued again: its names change (" + String.join(" ", added.stream().map(n -> "+" + n).toList())
                    + (added.isEmpty() || dropped.isEmpty() ? "" : " ") + String.join(" ", dropped.stream().map(n -> "-" + n).toList()) + ")";
        }
        Duration left = Duration.between(clock.instant(), c.notAfter());
        if (left.compareTo(Duration.ofDays(days).dividedBy(3)) < 0) {
            return "renew (expires " + c.expires() + ")";
        }
        return null;
    }

    private String caName() {
        return "CA " + ca.subjectName();
    }
}
