package dev.pig.modules.infra;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import dev.pig.core.diag.PigException;
import dev.pig.core.fact.FactRequest;
import dev.pig.core.fact.FactSection;
import dev.pig.core.fact.Gathered;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.model.Node;
import dev.pig.core.model.Secret;
import dev.pig.core.task.Absent;
import dev.pig.core.task.DirectoryTask;
import dev.pig.core.task.PackagesTask;
import dev.pig.core.task.Task;
import dev.pig.core.task.UnitTask;
import dev.pig.modules.ModuleContext;
import dev.pig.modules.Operation;

/**
 * Monitoring of a PostgreSQL pig does not manage (an RDS, a server made by hand), Pigsty's
 * {@code pgsql-monitor.yml}: {@code pig pgsql monitor add NAME --url URL} runs Debian's
 * PostgreSQL exporter for it on an infra node, with pig's queries, as the unit
 * {@code pg-monitor@NAME}, and registers it on every infra node as job {@code pgsql} with
 * {@code cls} and {@code ins} the name and {@code ip} the server's host, so the same rules and
 * dashboards cover it. The URL, which holds the password, is written only into a 0600 file of
 * root's that systemd reads for the unit. {@code rm} stops the unit and deletes its file and
 * registration on every infra node.
 *
 * <pre>
 * /etc/pig/pg-monitor/rds1.env                 DATA_SOURCE_NAME and the exporter's port
 * /data/infra/targets/pgrds/rds1.yml           - labels: { job: pgsql, cls: rds1, ins: rds1, ip: 203.0.113.7 }
 * </pre>
 */
public final class RemoteMonitor {
    static final String DIR = "/etc/pig/pg-monitor";
    static final String UNIT_FILE = "/etc/systemd/system/pg-monitor@.service";
    static final String QUERIES = "/etc/prometheus/pg-exporter-queries.yml";
    static final String TAG = "pg_monitor";
    /** The first port Pigsty gives a remote database's exporter ({@code pg_exporters} keys). */
    static final int FIRST_PORT = 20001;
    /** Marks a registration {@code pig pgsql monitor} made, which a deploy of the registry keeps. */
    static final String MARK = "monitored by pig (" + TAG + ")";

    private RemoteMonitor() {
    }

    /** A name that is a file name, a unit instance and a label: what cluster names are. */
    static String checkName(String name) {
        if (!name.matches("[a-z0-9][a-z0-9-]{0,62}")) {
            throw new PigException(PigException.Kind.USAGE, "'" + name + "' is no monitor name: use lowercase letters, digits and '-',"
                    + " as a pg_cluster is named");
        }
        return name;
    }

    /** The host of a {@code postgres://} URL: the {@code ip} label. */
    static String host(Secret url) {
        try {
            URI u = new URI(url.reveal());
            if (!List.of("postgres", "postgresql").contains(u.getScheme()) || u.getHost() == null) {
                throw new PigException(PigException.Kind.USAGE, "--url must be a postgres://user:password@host:port/db URL");
            }
            return u.getHost();
        } catch (URISyntaxException e) {
            throw new PigException(PigException.Kind.USAGE, "--url is no URL pig can read: " + e.getReason()
                    + " (a password with '@', ':' or '/' must be percent-encoded)");
        }
    }

    /** The infra node that runs the exporters: the one named, else the first of the {@code infra} group. */
    static Infra on(ModuleContext ctx, Optional<String> host) {
        List<Infra> all = Infra.all(ctx);
        if (all.isEmpty()) {
            throw new PigException(PigException.Kind.USAGE, "the inventory has no infra node to run the exporter on: add an infra group first");
        }
        if (host.isEmpty()) {
            return all.get(0);
        }
        return all.stream().filter(i -> i.ip().equals(host.get()) || i.node().address().equals(host.get()) || i.name().equals(host.get()))
                .findFirst().orElseThrow(() -> new PigException(PigException.Kind.USAGE, host.get() + " is no infra node of the inventory"));
    }

    /** {@code pig pgsql monitor add}: the exporter on one infra node, its registration on all. */
    public static Operation add(ModuleContext ctx, String name, Secret url, Optional<Integer> port, Optional<String> on) {
        checkName(name);
        String ip = host(url);
        Infra infra = on(ctx, on);
        Ports ports = new Ports();
        return new Operation() {
            @Override
            public Map<Node, FactRequest> probe() {
                return Map.of(infra.node(), FactRequest.builder().sections(ports.name()).build());
            }

            @Override
            public Work work(Gathered probed) {
                HostFacts f = probed.facts().get(infra.node().address());
                if (f == null) {
                    throw new PigException(PigException.Kind.UNAVAILABLE, infra.name() + " (" + infra.ip() + ") does not answer: "
                            + probed.failures().getOrDefault(infra.node().address(), "no facts"));
                }
                int p = choose(f.extra(ports), name, port);
                Map<Node, List<Task>> tasks = new LinkedHashMap<>();
                tasks.put(infra.node(), new ArrayList<>(exporter(infra, name, url, p)));
                for (Infra i : Infra.all(ctx)) {
                    tasks.computeIfAbsent(i.node(), k -> new ArrayList<>()).addAll(register(i, name, ip, infra.ip() + ":" + p));
                }
                return new Work(tasks, List.of("Monitoring " + name + " (" + ip + ") from " + infra.name() + ", port " + p + "."));
            }
        };
    }

    /** {@code pig pgsql monitor rm}: the exporter stopped and its files gone, on every infra node. */
    public static Operation remove(ModuleContext ctx, String name) {
        checkName(name);
        Map<Node, List<Task>> tasks = new LinkedHashMap<>();
        for (Infra i : Infra.all(ctx)) {
            List<Task> t = new ArrayList<>();
            t.add(new Absent(registration(i, name), TAG));
            t.add(new UnitTask(unit(name), false, false, List.of(), List.of(), TAG));
            t.add(new Absent(env(name), TAG));
            tasks.put(i.node(), t);
        }
        return Operation.of(tasks);
    }

    /** The port of {@code name}: as asked, else the one it has, else the first free one from {@link #FIRST_PORT}. */
    static int choose(Map<String, Integer> used, String name, Optional<Integer> asked) {
        if (asked.isPresent()) {
            used.forEach((other, p) -> {
                if (!other.equals(name) && p.equals(asked.get())) {
                    throw new PigException(PigException.Kind.USAGE, "port " + p + " is the exporter of " + other + "'s: choose another --port");
                }
            });
            return asked.get();
        }
        if (used.containsKey(name)) {
            return used.get(name);
        }
        int p = FIRST_PORT;
        while (used.containsValue(p)) {
            p++;
        }
        return p;
    }

    static String unit(String name) {
        return "pg-monitor@" + name + ".service";
    }

    static String env(String name) {
        return DIR + "/" + name + ".env";
    }

    static String registration(Infra infra, String name) {
        return infra.targets() + "/pgrds/" + name + ".yml";
    }

    private static List<Task> exporter(Infra infra, String name, Secret url, int port) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("data_source_name", url.reveal());
        m.put("args", "--web.listen-address=:" + port + " --extend.query-path=" + QUERIES);
        m.put("queries", QUERIES);
        return List.of(
                new PackagesTask("postgres exporter", List.of("prometheus-postgres-exporter"), TAG),
                new DirectoryTask("/etc/pig", "0755", "root", "root", TAG),
                new DirectoryTask(DIR, "0700", "root", "root", TAG),
                new DirectoryTask("/etc/prometheus", "0755", "root", "root", TAG),
                infra.ctx().file(QUERIES, "pgsql/pg-exporter-queries.yml.ftl", Map.of("pg_instance", "remote databases"), "0644", "root", "root", TAG,
                        false),
                infra.ctx().file(UNIT_FILE, "infra/pg-monitor.service.ftl", m, "0644", "root", "root", TAG, false),
                // the URL holds the password: root's, never shown, read by systemd for the unit
                infra.ctx().file(env(name), "infra/pg-monitor.env.ftl", m, "0600", "root", "root", TAG, true),
                new UnitTask(unit(name), true, true, List.of(env(name), UNIT_FILE, QUERIES), List.of(), TAG));
    }

    private static List<Task> register(Infra infra, String name, String ip, String address) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("job", "pgsql");
        labels.put("cls", name);
        labels.put("ins", name);
        labels.put("ip", ip);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mark", MARK);
        m.put("name", name);
        m.put("labels", labels);
        m.put("address", address);
        return List.of(new DirectoryTask(infra.targets() + "/pgrds", "0755", "root", "root", TAG),
                infra.ctx().file(registration(infra, name), "infra/pg-monitor-target.ftl", m, "0644", "root", "root", TAG, false));
    }

    /** The monitors an infra node runs and their ports, from their files: {@code name -> port}. */
    static final class Ports implements FactSection<Map<String, Integer>> {
        @Override
        public String name() {
            return "infra.pg-monitors";
        }

        @Override
        public String script() {
            return "for f in " + DIR + "/*.env; do [ -f \"$f\" ] || continue; n=${f##*/}; n=${n%.env};"
                    + " p=$(sed -n 's/.*--web.listen-address=:\\([0-9]*\\).*/\\1/p' \"$f\"); printf '%s %s\\n' \"$n\" \"$p\"; done; true\n";
        }

        @Override
        public Map<String, Integer> parse(String output) {
            Map<String, Integer> out = new TreeMap<>();
            for (String line : output.lines().toList()) {
                String[] f = line.strip().split(" ");
                if (f.length == 2 && f[0].matches("[a-z0-9][a-z0-9-]*") && f[1].matches("\\d{1,5}")) {
                    out.put(f[0], Integer.parseInt(f[1]));
                }
            }
            return out;
        }
    }

    /** The section for the fact gatherer. */
    static FactSection<?> section() {
        return new Ports();
    }
}
