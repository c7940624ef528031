package dev.pig.modules.etcd;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.pig.core.plan.Change;
import dev.pig.core.plan.HostPlan;
import dev.pig.core.plan.Step;
import dev.pig.modules.Fixtures;
import dev.pig.modules.PlanningFixture;
import dev.pig.modules.RecordedFacts;

/**
 * The ETCD module over {@code src-test-fixtures/etcd/trio.yml} and {@code four.yml}, planned
 * against the facts recorded on the sandbox under {@code src-test-fixtures/etcd/facts/<state>/}
 * (see the README there), every host with the facts of the others at hand, as a run has them.
 */
final class EtcdFixtures {
    static final List<String> TRIO = List.of("10.10.10.10", "10.10.10.11", "10.10.10.12");
    static final List<String> FOUR = List.of("10.10.10.10", "10.10.10.11", "10.10.10.12", "10.10.10.13");
    static final String INVENTORY = "src-test-fixtures/etcd/trio.yml";

    private EtcdFixtures() {
    }

    /** ETCD over an inventory of {@code src-test-fixtures/etcd/}, with {@code -e} values. */
    static PlanningFixture fixture(String inventory, String... extraVars) {
        return PlanningFixture.of(new EtcdModule(), "src-test-fixtures/etcd/" + inventory, extraVars);
    }

    /** {@code hosts} reporting what they printed in {@code state}. */
    static PlanningFixture in(PlanningFixture f, String state, List<String> hosts) {
        return f.hosts(hosts, h -> recorded(state, h));
    }

    static RecordedFacts recorded(String state, String host) {
        return RecordedFacts.of(file(state, host));
    }

    private static String file(String state, String host) {
        return "etcd/facts/" + state + "/" + host + ".out";
    }

    /**
     * Rewrites the managed files in the recorded facts of {@code state} to what the templates now
     * render for {@code inventory}, leaving every other recorded fact as it was. Only with
     * {@code -Dpig.fixtures.update=true}, after an intended template change.
     */
    static void refresh(String state, String inventory, List<String> hosts) {
        Map<String, HostPlan> plans = in(fixture(inventory), state, hosts).planAll();
        for (String h : hosts) {
            String out = Fixtures.read(file(state, h));
            for (Change.Act a : plans.get(h).actions()) {
                for (Step s : a.steps()) {
                    if (s instanceof Step.Upload u && (u.path().equals(EtcdModule.CONF) || u.path().equals(EtcdModule.UNIT))) {
                        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(u.path()) + "\tfile\t(\\d+)\t(\\S+)\t(\\S+)\t\\d+\t[0-9a-f]+\t\n@@content .*$")
                                .matcher(out);
                        if (m.find()) {
                            out = out.substring(0, m.start()) + u.path() + "\tfile\t" + m.group(1) + "\t" + m.group(2) + "\t" + m.group(3)
                                    + "\t" + u.content().length + "\t" + u.sha256() + "\t\n@@content "
                                    + Base64.getEncoder().encodeToString(u.content()) + out.substring(m.end());
                        }
                    }
                }
            }
            Fixtures.write(file(state, h), out);
        }
    }
}
