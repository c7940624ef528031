package dev.pig.modules;

import java.util.List;
import java.util.Map;

import dev.pig.core.model.Node;
import dev.pig.core.task.Absent;
import dev.pig.core.task.Deferred;
import dev.pig.core.task.DirectoryTask;
import dev.pig.core.task.FileTask;
import dev.pig.core.task.Skip;
import dev.pig.core.task.Task;
import dev.pig.core.task.UnitTask;

/**
 * keepalived on a host holds the VIPs pig manages there: the node cluster's (NODE,
 * {@code vip_enabled}) and the PostgreSQL cluster's (PGSQL, {@code pg_vip_enabled}), which
 * Pigsty's own inventories put on the same hosts.
 *
 * <pre>
 * /etc/keepalived/keepalived.conf          global settings, then every file of conf.d
 * /etc/keepalived/conf.d/node-vip.conf     the node VIP (NODE)
 * /etc/keepalived/conf.d/pgsql-pg-test.conf  pg-test's VIP (PGSQL)
 * </pre>
 *
 * Both modules write the main file alike, so whichever runs first, the other finds it
 * unchanged; each owns its own instance's file, so removing one VIP leaves the other held.
 */
public final class Keepalived {
    public static final String UNIT = "keepalived.service";
    public static final String DIR = "/etc/keepalived";
    public static final String CONF = DIR + "/keepalived.conf";
    public static final String CONF_D = DIR + "/conf.d";

    private Keepalived() {
    }

    /**
     * What one VIP takes, under {@code tag}: the directories, its own file {@code instance} written
     * by {@code file}, the main file that includes it, and keepalived running and reloaded for
     * them. The directories and the main file are planned once per run where both VIPs are
     * deployed: the second module finds them planned already, alike.
     */
    public static List<Task> tasks(ModuleContext ctx, Node node, String instance, Task file, String tag) {
        FileTask main = ctx.file(CONF, "node/keepalived.conf.ftl", Map.of("router_id", node.nodename().isEmpty() ? node.id() : node.nodename(),
                "conf_d", CONF_D), "0644", "root", "root", tag, false);
        return List.of(
                once(new DirectoryTask(DIR, "0755", "root", "root", tag), DIR, tag),
                once(new DirectoryTask(CONF_D, "0755", "root", "root", tag), CONF_D, tag),
                file,
                once(main, CONF, tag),
                unit(instance, tag));
    }

    /** {@code task}, unless an earlier task of this plan changes {@code path} already. */
    private static Task once(Task task, String path, String tag) {
        return new Deferred(task.name(), tag, task::require, (facts, pctx) -> {
            if (pctx.firstChanged(List.of(path)) != null) {
                return new Skip(task.name(), tag, "planned in this run already, for the host's other VIP");
            }
            if (!facts.file(path).exists()) {
                // a directory's task does not say it changes its path; the next module's must know
                pctx.changed(path);
            }
            return task;
        });
    }

    /**
     * A VIP the inventory no longer has on this host ({@code vip_enabled} or
     * {@code pg_vip_enabled} turned off): its file removed, and keepalived reloaded when it still
     * holds {@code otherVip}, else stopped, disabled and its main file removed. Nothing is
     * planned where the file is not: a keepalived pig did not configure is left alone.
     */
    public static List<Task> retire(String instance, boolean otherVip, String tag) {
        String name = "unit " + UNIT;
        return List.of(
                new Absent(instance, tag),
                new Deferred(name, tag, b -> b.files(instance).units(UNIT), (facts, pctx) -> !facts.file(instance).exists()
                        ? new Skip(name, tag, "no " + instance + " here")
                        : otherVip ? unit(instance, tag) : new UnitTask(UNIT, false, false, List.of(), List.of(), tag)),
                new Deferred("file " + CONF, tag, b -> b.files(instance, CONF), (facts, pctx) -> facts.file(instance).exists() && !otherVip
                        ? new Absent(CONF, tag)
                        : new Skip("file " + CONF, tag, otherVip ? "keepalived holds another VIP here" : "no " + instance + " here")));
    }

    /**
     * keepalived enabled and running, reloaded when the main file or {@code instance} changes: a
     * reload rereads every file and keeps each address where it is.
     */
    public static Task unit(String instance, String tag) {
        // the instance first: its change is the one a plan names as the cause
        return new UnitTask(UNIT, true, true, List.of(), List.of(instance, CONF), tag);
    }
}
