package dev.pig.modules.pgsql;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.pig.core.model.ModelLoader;
import dev.pig.core.template.Templates;
import dev.pig.modules.Golden;
import dev.pig.modules.ModuleContext;
import dev.pig.modules.Registration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What patroni_ssl_enabled changes beyond the files: how pig and the scrape reach the REST API. */
class PatroniTlsTest {

    private static ModuleContext ctx(String... extra) {
        return new ModuleContext(ModelLoader.load(Golden.root().resolve("inventory-examples/sandbox.yml"), List.of(extra)).model(),
                Templates.builtIn());
    }

    private static Registration.Target patroniTarget(ModuleContext ctx) {
        return Monitor.registrations(ctx, ctx.model().node("10.10.10.11").orElseThrow()).stream()
                .filter(r -> r instanceof Registration.Target t && t.job().equals("patroni")).map(Registration.Target.class::cast)
                .findFirst().orElseThrow();
    }

    @Test
    void over_tls_the_scrape_is_https_and_pigs_calls_verify_the_member_and_show_the_instances_certificate() {
        ModuleContext tls = ctx("patroni_ssl_enabled=true");
        assertEquals("https", patroniTarget(tls).labels().get("__scheme__"));
        assertEquals("10.10.10.11:8008", patroniTarget(tls).address());
        Patroni p = Patroni.of(tls.vars(tls.model().node("10.10.10.11").orElseThrow()));
        assertEquals("curl --cacert /pg/cert/ca.crt --cert /pg/cert/server.crt --key /pg/cert/server.key -sf -m 5 -o /dev/null"
                + " https://127.0.0.1:8008/leader", p.answers("127.0.0.1", "leader"));

        ModuleContext plain = ctx();
        assertEquals(null, patroniTarget(plain).labels().get("__scheme__"));
        assertEquals("curl -sf -m 5 -o /dev/null http://127.0.0.1:8008/leader",
                Patroni.of(plain.vars(plain.model().node("10.10.10.11").orElseThrow())).answers("127.0.0.1", "leader"));
    }
}
