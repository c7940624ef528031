package dev.pig.core.task;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.pig.core.Fixtures;
import dev.pig.core.exec.Planner;
import dev.pig.core.fact.FactGatherer;
import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.plan.Action;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.Masker;
import dev.pig.core.plan.Step;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A file copied from another host of the run, planned from both hosts' recorded facts: the source
 * holds {@code /etc/patroni/patroni.yml} (sha256 f57d0a83...) in {@code facts/el9-handwritten.out}.
 */
class CopiedFileTest {
    private static final String SOURCE = "/etc/patroni/patroni.yml";
    private static final String SHA = "f57d0a837344eeda533e4183d784d42fe0e9650bbad42c37f9d56a0df31bff0b";
    private static final String CA = "/etc/pki/ca.crt";
    private static final CopiedFile TASK = new CopiedFile(CA, List.of(new Step.Copy.Source("10.10.10.10", SOURCE)), "0644", "root", "root",
            "pgbackrest_config");

    /** The recorded host with {@code line} for the copy's path in its files section (or none). */
    private static HostFacts host(String name, FactRequest request, String caLine) {
        String out = Fixtures.read("facts/el9-handwritten.out");
        out = out.replace("/etc/pgbouncer/pgbouncer.ini\tmissing\t\t\t\t0\t\t\n", caLine == null ? "" : caLine + "\n");
        return new FactGatherer().parse(name, request, out);
    }

    private static Change plan(boolean sourceInRun, String caLine) {
        HostFacts dest = host("10.10.10.11", Planner.request(List.of(TASK)), caLine);
        Map<String, HostFacts> fleet = new LinkedHashMap<>();
        fleet.put("10.10.10.11", dest);
        if (sourceInRun) {
            fleet.put("10.10.10.10", host("10.10.10.10", FactRequest.builder().fileWithContent(SOURCE).build(), null));
        }
        return Planner.planFromFacts(dest, List.of(TASK), Masker.none(), fleet).changes().get(0);
    }

    private static String line(String sha) {
        return CA + "\tfile\t644\troot\troot\t31\t" + sha + "\t";
    }

    @Test
    void is_copied_when_missing_here() {
        Change.Act a = assertInstanceOf(Change.Act.class, plan(true, CA + "\tmissing\t\t\t\t0\t\t"));
        assertEquals(Action.CREATE, a.action());
        assertEquals(List.of(new Step.Copy(List.of(new Step.Copy.Source("10.10.10.10", SOURCE)), CA, "0644", "root", "root")), a.steps());
    }

    @Test
    void is_noop_when_it_holds_the_source_s_content() {
        Change.NoOp n = assertInstanceOf(Change.NoOp.class, plan(true, line(SHA)));
        assertEquals("file /etc/pki/ca.crt has the content of 10.10.10.10:/etc/patroni/patroni.yml (sha256 f57d0a837344…)", n.reason());
    }

    @Test
    void is_copied_again_when_the_source_changed() {
        Change.Act a = assertInstanceOf(Change.Act.class, plan(true, line("0".repeat(64))));
        assertEquals(Action.UPDATE, a.action());
        assertTrue(a.summary().contains("-> f57d0a837344…"), a.summary());
    }

    @Test
    void is_kept_when_the_source_is_not_part_of_the_run() {
        Change.NoOp n = assertInstanceOf(Change.NoOp.class, plan(false, line("0".repeat(64))));
        assertTrue(n.reason().contains("is kept: 10.10.10.10, which holds /etc/patroni/patroni.yml, is not part of this run"), n.reason());
    }

    @Test
    void is_copied_when_the_source_makes_it_in_this_run() {
        HostFacts dest = host("10.10.10.11", Planner.request(List.of(TASK)), line(SHA));
        HostFacts source = host("10.10.10.10", FactRequest.builder().fileWithContent("/etc/minio/public.crt").build(), null);
        CopiedFile later = new CopiedFile(CA, List.of(new Step.Copy.Source("10.10.10.10", "/etc/minio/public.crt")), "0644", "root", "root", "t");
        Change c = Planner.planFromFacts(dest, List.of(later), Masker.none(), Map.of("10.10.10.11", dest, "10.10.10.10", source)).changes().get(0);
        Change.Act a = assertInstanceOf(Change.Act.class, c);
        assertTrue(a.summary().endsWith("which this run makes"), a.summary());
    }
}
