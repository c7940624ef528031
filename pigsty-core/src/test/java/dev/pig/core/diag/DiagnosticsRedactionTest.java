package dev.pig.core.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DiagnosticsRedactionTest {

    @Test
    void a_secret_written_on_the_line_of_a_problem_shows_as_stars() {
        Diagnostics d = new Diagnostics();
        d.registerText("t.yml", "all:\n  vars: { pg_admin_password: 'Adm1n', pg_prot: 5432 }\n");
        d.error("unknown parameter 'pg_prot'", new Source("t.yml", 2, 40), "Did you mean 'pg_port'?");
        d.redact(new Source("t.yml", 2, 30), "Adm1n");
        assertEquals("  vars: { pg_admin_password: '***', pg_prot: 5432 }", d.errors().get(0).excerpt());
        Diagnostics all = new Diagnostics();
        all.addAll(d);
        assertEquals("  vars: { pg_admin_password: '***', pg_prot: 5432 }", all.errors().get(0).excerpt());
    }

    @Test
    void a_secret_written_with_escapes_is_masked_whole_with_its_quotes_kept() {
        Diagnostics d = new Diagnostics();
        d.registerText("t.yml", "  - { password: \"S3cr\\u0000et\\\"x\", name: a }\n");
        d.error("bad", new Source("t.yml", 1, 17), "");
        d.redact(new Source("t.yml", 1, 17), "S3cr\u0000et\"x");
        assertEquals("  - { password: \"***\", name: a }", d.errors().get(0).excerpt());
        assertEquals("a: '***' b", Diagnostics.maskQuoted("a: 'it''s' b", 4));
    }
}
