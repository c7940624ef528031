package dev.pig.modules.pgsql;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.pig.core.model.ModelLoader;
import dev.pig.core.template.Templates;
import dev.pig.modules.Golden;
import dev.pig.modules.ModuleContext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The probe of an S3 repository's endpoint: its script takes the endpoint as arguments, its parse reads one word. */
class S3ProbeTest {

    static S3Probe probe(String... extra) {
        ModuleContext ctx = new ModuleContext(ModelLoader.load(Golden.root().resolve("inventory-examples/sandbox.yml"), List.of(extra)).model(),
                Templates.builtIn());
        return ClusterFacts.of(ctx, ctx.model().pgCluster("pg-test").orElseThrow()).s3();
    }

    @Test
    void what_the_probe_prints_says_whether_the_endpoint_takes_connections() {
        S3Probe p = probe();
        assertEquals(new S3Probe.View(true, "open"), p.parse("open\n"));
        assertFalse(p.parse("refused\n").open());
        assertEquals("the name does not resolve here", p.parse("unresolved\n").detail());
        assertFalse(p.parse("").open(), "a probe that printed nothing is no answer");
        assertTrue(probe("{\"pgbackrest_method\": \"local\", \"pgbackrest_repo\": {\"local\": {\"path\": \"/pg/backup\"}}}").script()
                .equals("echo none\n"), "a repository without an endpoint has nothing to probe");
        assertTrue(p.parse("none\n").open());
    }

    @Test
    void the_endpoint_reaches_bash_as_an_argument_never_as_its_code() {
        String script = probe().script();
        assertTrue(script.startsWith("if timeout 3 bash -c '</dev/tcp/$1/$2' sh sss.pigsty 9000 "), script);
        String ip = probe("{\"pgbackrest_repo\": {\"local\": {\"path\": \"/pg/backup\"}, \"minio\": {\"type\": \"s3\", \"s3_endpoint\": \"10.10.10.99\", \"s3_bucket\": \"pgsql\","
                + " \"storage_port\": 9000}}}").script();
        assertFalse(ip.contains("getent"), "an address needs no name lookup: " + ip);
    }
}
