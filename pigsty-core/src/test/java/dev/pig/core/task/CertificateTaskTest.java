package dev.pig.core.task;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.pig.core.exec.Planner;
import dev.pig.core.fact.FactGatherer;
import dev.pig.core.fact.FactParsers;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.pki.CertificateAuthority;
import dev.pig.core.pki.CertificateAuthorityTest;
import dev.pig.core.plan.Action;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.Masker;
import dev.pig.core.plan.Step;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** When a certificate of the CA is issued, issued again, renewed or left alone. */
class CertificateTaskTest {
    private static final String CRT = "/pg/cert/server.crt";
    private static final String KEY = "/pg/cert/server.key";
    private static final List<String> NAMES = List.of("DNS:pg-test", "IP:10.10.10.11");
    private static final List<Step> RELOAD = List.of(new Step.Exec("pg_ctl reload", "pg_ctl reload"));
    @TempDir
    static Path dir;
    static CertificateAuthority ca;
    static byte[] csr;

    @BeforeAll
    static void a_ca_and_a_request() throws Exception {
        ca = CertificateAuthority.at(dir.resolve("ca")).ensure("pigsty-ca", true);
        csr = CertificateAuthorityTest.request(dir, "pg-test-1");
    }

    private static CertificateTask task(Clock clock) {
        return new CertificateTask(CRT, KEY, "make-request", NAMES, 90, ca.certificate(), "0644", "postgres", RELOAD, "pg_cert", clock);
    }

    /** The plan of the task on a host holding {@code pem} (or nothing) and its key or not. */
    private static Change plan(byte[] pem, boolean key, Clock clock) {
        CertificateTask t = task(clock);
        StringBuilder files = new StringBuilder();
        if (pem == null) {
            files.append(CRT).append("\tmissing\t\t\t\t0\t\t\n");
        } else {
            files.append(CRT).append("\tfile\t644\tpostgres\tpostgres\t").append(pem.length).append('\t').append(Step.Hashes.sha256(pem))
                    .append("\t\n@@content ").append(Base64.getEncoder().encodeToString(pem)).append('\n');
        }
        files.append(KEY).append(key ? "\tfile\t600\tpostgres\tpostgres\t241\t\t\n" : "\tmissing\t\t\t\t0\t\t\n");
        String out = FactParsers.SECTION + "hostname\nnode\n" + FactParsers.SECTION + "files\n" + files + FactParsers.END + "\n";
        HostFacts facts = new FactGatherer().parse("10.10.10.11", Planner.request(List.of(t)), out);
        return Planner.planFromFacts(facts, List.of(t), Masker.none()).changes().get(0);
    }

    private static Clock in(Duration d) {
        return Clock.fixed(Instant.now().plus(d), ZoneOffset.UTC);
    }

    @Test
    void a_missing_certificate_is_issued_and_a_running_service_reloads() {
        Change.Act a = assertInstanceOf(Change.Act.class, plan(null, false, Clock.systemUTC()));
        assertEquals(Action.CREATE, a.action());
        assertEquals("certificate " + CRT + " issued by CA pigsty-ca for DNS:pg-test,IP:10.10.10.11 (90 days)", a.summary());
        assertEquals(List.of(new Step.Sign("make-request", NAMES, 90, CRT, "0644", "postgres", "postgres"), RELOAD.get(0)), a.steps());
    }

    @Test
    void a_certificate_of_the_ca_with_the_same_names_is_left_alone_until_a_third_of_its_life_is_left() {
        byte[] pem = ca.sign(csr, NAMES, 90);
        String expires = Instant.now().plus(Duration.ofDays(90)).toString().substring(0, 10);
        assertEquals(new Change.NoOp("certificate " + CRT, "pg_cert", "certificate " + CRT + " is issued by CA pigsty-ca for the same names"
                + " and expires " + expires), plan(pem, true, in(Duration.ofDays(59))));
        Change.Act renew = assertInstanceOf(Change.Act.class, plan(pem, true, in(Duration.ofDays(61))));
        assertEquals(Action.UPDATE, renew.action());
        assertEquals("certificate " + CRT + " renew (expires " + expires + ")", renew.summary());
        assertEquals(2, renew.steps().size(), "signed, then the service reloads");
        assertEquals(RELOAD.get(0), renew.steps().get(1));
    }

    @Test
    void names_that_change_issue_it_again_saying_which() {
        byte[] pem = ca.sign(csr, List.of("DNS:pg-test", "IP:10.10.10.12"), 90);
        Change.Act a = assertInstanceOf(Change.Act.class, plan(pem, true, Clock.systemUTC()));
        assertEquals("certificate " + CRT + " issued again: its names change (+IP:10.10.10.11 -IP:10.10.10.12)", a.summary());
    }

    @Test
    void a_certificate_of_another_issuer_or_without_its_key_is_issued_again() throws Exception {
        CertificateAuthority other = CertificateAuthority.at(dir.resolve("other")).ensure("someone-else", true);
        Change.Act foreign = assertInstanceOf(Change.Act.class, plan(other.sign(csr, NAMES, 90), true, Clock.systemUTC()));
        assertEquals("certificate " + CRT + " issued again by CA pigsty-ca: someone-else issued it", foreign.summary());
        Change.Act keyless = assertInstanceOf(Change.Act.class, plan(ca.sign(csr, NAMES, 90), false, Clock.systemUTC()));
        assertEquals("certificate " + CRT + " issued again: its key " + KEY + " is missing (a new one is made)", keyless.summary());
        Change.Act garbage = assertInstanceOf(Change.Act.class, plan("not a certificate".getBytes(StandardCharsets.UTF_8), true,
                Clock.systemUTC()));
        assertEquals("certificate " + CRT + " issued again: the file holds no certificate", garbage.summary());
    }
}
