package dev.pig.modules.node;

import java.util.List;

import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.FactSection;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.plan.Action;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.Step;
import dev.pig.core.ssh.Shell;
import dev.pig.core.task.PlanContext;
import dev.pig.core.task.Task;

/**
 * The haproxy configuration files pig wrote: those in {@code /etc/haproxy} whose first line says
 * {@value #MARK}. Every template pig puts there starts that way (NODE's base config, PGSQL's
 * services), so {@code pig node rm} removes them and nothing a person wrote.
 */
public final class HaproxyConfigs implements FactSection<List<String>> {
    public static final String NAME = "node.haproxy-configs";
    public static final String MARK = "managed by pig";
    public static final HaproxyConfigs SECTION = new HaproxyConfigs();

    private HaproxyConfigs() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String script() {
        return FactSection.markedFiles("/etc/haproxy/*.cfg", MARK);
    }

    @Override
    public List<String> parse(String output) {
        return output.lines().map(String::strip).filter(l -> l.startsWith("/etc/haproxy/") && l.endsWith(".cfg")).sorted().toList();
    }

    /** Removes every file of the section. */
    static final class Removal implements Task {
        private final String tag;

        Removal(String tag) {
            this.tag = tag;
        }

        @Override
        public String name() {
            return "files /etc/haproxy/*.cfg " + MARK;
        }

        @Override
        public String tag() {
            return tag;
        }

        @Override
        public void require(FactRequest.Builder facts) {
            facts.sections(NAME);
        }

        @Override
        public Change plan(HostFacts facts, PlanContext ctx) {
            List<String> files = facts.extra(SECTION);
            if (files.isEmpty()) {
                return new Change.NoOp(name(), tag, "no haproxy configuration written by pig is left");
            }
            files.forEach(ctx::changed);
            String rm = "rm -f -- " + String.join(" ", files.stream().map(Shell::quote).toList());
            return new Change.Act(name(), tag, Action.DELETE, "remove " + String.join(", ", files),
                    List.of(Step.Exec.of(rm, ctx.masker())), "");
        }
    }
}
