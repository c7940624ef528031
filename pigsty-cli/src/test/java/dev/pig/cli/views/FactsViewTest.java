package dev.pig.cli.views;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.pig.core.plan.Masker;

class FactsViewTest {
    /** What a module may parse from its section: an instance with an optional upstream. */
    record Instance(String name, Optional<Endpoint> replicaOf, Optional<String> password) {
    }

    record Endpoint(String host, int port) {
    }

    @Test
    void facts_holding_optionals_print_as_json_with_their_value_or_null_and_secrets_masked() {
        String json = FactsView.maskedJson(List.of(new Instance("redis-ms-1-6380", Optional.of(new Endpoint("10.10.10.10", 6379)),
                Optional.of("Redis.Secret.1")), new Instance("redis-ms-1-6379", Optional.empty(), Optional.empty())),
                new Masker(List.of("Redis.Secret.1")));
        assertTrue(json.contains("\"replicaOf\" : {\n    \"host\" : \"10.10.10.10\",\n    \"port\" : 6379\n  }"), json);
        assertTrue(json.contains("\"replicaOf\" : null"), json);
        assertTrue(!json.contains("Redis.Secret.1") && json.contains("\"password\" : \"***\""), json);
    }

    @Test
    void timings_add_up_the_scripts_own_sections_and_mark_the_background_jobs() {
        String out = "@@pig:section timing\n"
                + "start 1000000000 0m0.000s 0m0.000s 0m0.000s 0m0.000s\n"
                + "os 1100000000 0m0.010s 0m0.000s 0m0.000s 0m0.000s\n"
                + "wait 1400000000 0m0.010s 0m0.000s 0m0.050s 0m0.000s\n"
                + "@job ext:slow 1000000000 1300000000 0m0.000s 0m0.000s 0m0.040s 0m0.000s\n"
                + "@@pig:end\n";
        dev.pig.core.fact.HostFacts f = new dev.pig.core.fact.FactGatherer().parse("h", dev.pig.core.fact.FactRequest.empty(), out);
        java.io.StringWriter text = new java.io.StringWriter();
        new FactsView(new java.io.PrintWriter(text), new java.io.PrintWriter(new java.io.StringWriter()))
                .timings(List.of("h"), new dev.pig.core.fact.Gathered(java.util.Map.of("h", f), java.util.Map.of()), new Masker(List.of()));
        String shown = text.toString();
        assertTrue(shown.contains("  * ext:slow                                  300.0 ms     40.0 ms\n"), shown);
        assertTrue(shown.contains("  wait                                        300.0 ms     50.0 ms\n"), shown);
        assertTrue(shown.contains("  total                                       400.0 ms     60.0 ms\n"), shown);
    }

    @Test
    void a_check_named_in_the_timings_has_its_secrets_masked() {
        String check = "ETCDCTL_USER=pg-meta:S3cret.Pw etcdctl get /pg";
        String out = "@@pig:section checks\n0\n@@pig:section timing\n"
                + "start 1000000000 0m0.000s 0m0.000s 0m0.000s 0m0.000s\n"
                + "wait 1100000000 0m0.010s 0m0.000s 0m0.000s 0m0.000s\n"
                + "@job check#1 1000000000 1050000000 0m0.000s 0m0.000s 0m0.010s 0m0.000s\n"
                + "@@pig:end\n";
        dev.pig.core.fact.HostFacts f = new dev.pig.core.fact.FactGatherer().parse("h",
                dev.pig.core.fact.FactRequest.builder().checks(check).build(), out);
        java.io.StringWriter text = new java.io.StringWriter();
        new FactsView(new java.io.PrintWriter(text), new java.io.PrintWriter(new java.io.StringWriter()))
                .timings(List.of("h"), new dev.pig.core.fact.Gathered(java.util.Map.of("h", f), java.util.Map.of()),
                        new Masker(List.of("S3cret.Pw")));
        String shown = text.toString();
        assertTrue(shown.contains("* check ETCDCTL_USER=pg-meta:*** etcdctl get /pg"), shown);
        assertTrue(!shown.contains("S3cret.Pw"), shown);
    }
}
