package dev.pig.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A client writing steadily into pg-test while a fault is made, as an application would: from
 * pg-meta-1 (not a member of pg-test), one INSERT every 200 ms on a fresh connection, through
 * each route it is given (a member's primary service 5433, the VIP), each into a table of its
 * own, logging every write as acknowledged or failed with its time. Stopped, it says per route
 * how long writes stopped (the longest wait between two acknowledged writes from the last one
 * before the fault on: a write already under way when the fault is made may still be
 * acknowledged right after it, before the outage it causes) and which acknowledged rows the
 * table no longer has.
 *
 * <p>Node clocks are the host's: the nodes share its kernel, so the fault's time taken here and
 * the writes' times taken on pg-meta-1 compare.
 */
final class Drill {
    static final String CLIENT = "10.10.10.10";
    static final ObjectMapper JSON = new ObjectMapper();

    /** One way to the primary: a name for the report, and where psql connects. */
    record Route(String name, String host, int port) {
        static Route service(String member) {
            return new Route("service " + member + ":5433", member, 5433);
        }

        static Route vip() {
            return new Route("VIP 10.10.10.3:5432", "10.10.10.3", 5432);
        }
    }

    /**
     * What one route saw.
     *
     * @param gap     the longest time in seconds between two acknowledged writes from the last one
     *                before the fault on; infinite when none came after it
     * @param acked   the ids whose commit the client saw
     * @param refused the ids it saw fail (the outcome of one whose connection broke after the commit is unknown)
     * @param rows    the ids the table holds afterwards
     * @param last    the last id written
     */
    record Seen(Route route, double gap, Set<Integer> acked, Set<Integer> refused, Set<Integer> rows, int last) {
        /** Acknowledged commits the table lost. */
        Set<Integer> lost() {
            Set<Integer> out = new TreeSet<>(acked);
            out.removeAll(rows);
            return out;
        }

        /** Rows nobody wrote, or whose write the client saw neither succeed nor fail: none may exist. */
        Set<Integer> strays() {
            Set<Integer> out = new TreeSet<>(rows);
            out.removeAll(acked);
            out.removeAll(refused);
            out.remove(last + 1);
            return out;
        }

        String line(String drill) {
            return String.format("drill: %s via %s: writes stopped %.1f s; %d acknowledged, %d lost%s", drill, route.name(), gap,
                    acked.size(), lost().size(), lost().isEmpty() ? "" : " " + lost());
        }
    }

    private final SandboxExtension.Lab lab;
    private final String name;
    private final Map<Route, String> tables = new LinkedHashMap<>();
    private double faultAt = Double.NaN;

    private Drill(SandboxExtension.Lab lab, String name) {
        this.lab = lab;
        this.name = name;
    }

    /** Makes a table per route through {@code via}'s primary service, and starts writing through each route. */
    static Drill start(SandboxExtension.Lab lab, String name, String via, List<Route> routes) {
        Drill d = new Drill(lab, name);
        for (int i = 0; i < routes.size(); i++) {
            Route r = routes.get(i);
            String table = "drill_" + name + "_" + i;
            d.tables.put(r, table);
            remote(lab, via, 5433, "DROP TABLE IF EXISTS " + table + "; CREATE TABLE " + table + "(id int PRIMARY KEY, at timestamptz DEFAULT now())");
            lab.sh(CLIENT, "rm -f " + d.log(r) + " " + d.stopFile() + "; nohup sh -c 'i=0; while [ ! -e " + d.stopFile() + " ]; do i=$((i+1)); "
                    + "if PGCONNECT_TIMEOUT=1 PGPASSWORD=test psql -h " + r.host() + " -p " + r.port() + " -U test -d test -AtXqc "
                    + "\"INSERT INTO " + table + "(id) VALUES ($i)\" >/dev/null 2>&1; then echo \"$i ok $(date +%s.%N)\"; "
                    + "else echo \"$i fail $(date +%s.%N)\"; fi; sleep 0.2; done' > " + d.log(r) + " 2>&1 &");
        }
        // a few acknowledged writes on every route before any fault
        lab.sh(CLIENT, "for i in $(seq 50); do ok=1; for f in " + String.join(" ", routes.stream().map(d::log).toList())
                + "; do grep -q ' ok ' $f 2>/dev/null || ok=0; done; [ $ok = 1 ] && exit 0; sleep 0.2; done; exit 1");
        return d;
    }

    private String log(Route r) {
        return "/tmp/drill-" + name + "-" + tables.get(r) + ".log";
    }

    private String stopFile() {
        return "/tmp/drill-" + name + ".stop";
    }

    /** Notes the time of the fault: call right before making it. */
    void fault() {
        faultAt = System.currentTimeMillis() / 1000.0;
    }

    /** When the fault was made, in seconds since the epoch. */
    double faultAt() {
        return faultAt;
    }

    /**
     * Waits until writes go through steadily again on every route: its last five writes
     * acknowledged, all made more than two seconds after the fault (a write under way when the
     * fault is made may be acknowledged before the outage begins); at most {@code seconds}.
     */
    void awaitWrites(int seconds) {
        List<String> checks = new ArrayList<>();
        for (Route r : tables.keySet()) {
            checks.add("tail -n 5 " + log(r) + " | awk -v t=" + String.format(java.util.Locale.ROOT, "%.3f", faultAt + 2)
                    + " '$2 == \"ok\" && $3 > t { n++ } END { exit n < 5 }'");
        }
        lab.run(CLIENT, "sh", "-c", "for i in $(seq " + seconds * 5 + "); do " + String.join(" && ", checks) + " && exit 0; sleep 0.2; done; exit 1");
    }

    /** Stops writing and reads what each route saw; the rows are read through {@code via}'s primary service. */
    Map<Route, Seen> stop(String via) {
        lab.sh(CLIENT, "touch " + stopFile() + "; sleep 0.5");
        Map<Route, Seen> out = new LinkedHashMap<>();
        for (Map.Entry<Route, String> e : tables.entrySet()) {
            Route r = e.getKey();
            List<Double> oks = new ArrayList<>();
            Set<Integer> acked = new TreeSet<>();
            Set<Integer> refused = new TreeSet<>();
            int last = 0;
            for (String l : lab.sh(CLIENT, "cat " + log(r)).split("\n")) {
                String[] f = l.trim().split(" ");
                if (f.length != 3) {
                    continue;
                }
                int id = Integer.parseInt(f[0]);
                double at = Double.parseDouble(f[2]);
                last = Math.max(last, id);
                if (f[1].equals("ok")) {
                    acked.add(id);
                    oks.add(at);
                } else {
                    refused.add(id);
                }
            }
            double gap = Double.POSITIVE_INFINITY;
            if (oks.stream().anyMatch(t -> t > faultAt)) {
                gap = 0;
                double prev = Double.NaN;
                for (double t : oks) {
                    if (t > faultAt && !Double.isNaN(prev)) {
                        gap = Math.max(gap, t - prev);
                    }
                    prev = t;
                }
            }
            out.put(r, new Seen(r, gap, acked, refused, rows(lab, via, e.getValue()), last));
        }
        return out;
    }

    /**
     * Prints each route's figure and fails when writes stopped longer than {@code budget} seconds,
     * when rows appear that nobody wrote, or, with {@code noLoss}, when an acknowledged commit is
     * gone; returns the longest gap.
     */
    static double check(String drill, Map<Route, Seen> seen, double budget, boolean noLoss) {
        double worst = 0;
        for (Seen s : seen.values()) {
            System.out.println(s.line(drill));
            worst = Math.max(worst, s.gap());
        }
        for (Seen s : seen.values()) {
            assertTrue(s.gap() <= budget, drill + " via " + s.route().name() + ": writes stopped " + s.gap() + " s, over the budget of "
                    + budget + " s");
            assertTrue(s.strays().isEmpty(), drill + " via " + s.route().name() + ": rows nobody wrote: " + s.strays());
            if (noLoss) {
                assertTrue(s.lost().isEmpty(), drill + " via " + s.route().name() + ": acknowledged commits lost: " + s.lost());
            }
        }
        return worst;
    }

    /** {@code sql} as user test through {@code host:port}, from the client node. */
    static String remote(SandboxExtension.Lab lab, String host, int port, String sql) {
        return lab.sh(CLIENT, "PGCONNECT_TIMEOUT=3 PGPASSWORD=test psql -h " + host + " -p " + port + " -U test -d test -AtXc \"" + sql + "\"");
    }

    static Set<Integer> rows(SandboxExtension.Lab lab, String via, String table) {
        String all = remote(lab, via, 5433, "SELECT coalesce(string_agg(id::text, ',' ORDER BY id), '') FROM " + table);
        Set<Integer> out = new TreeSet<>();
        for (String id : all.split(",")) {
            if (!id.isBlank()) {
                out.add(Integer.parseInt(id.strip()));
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------ the cluster

    /** Patroni's view of pg-test as {@code via}'s Patroni answers it: name to role. */
    static Map<String, String> roles(SandboxExtension.Lab lab, String via) throws IOException {
        Map<String, String> out = new TreeMap<>();
        for (JsonNode m : JSON.readTree(lab.sh(via, "curl -sf -m 3 http://127.0.0.1:8008/cluster")).path("members")) {
            out.put(m.path("host").asText(), m.path("role").asText() + "/" + m.path("state").asText());
        }
        return out;
    }

    /** The IP of the member of pg-test that leads, as the first member that answers says. */
    static String leader(SandboxExtension.Lab lab) throws IOException {
        for (String m : List.of("10.10.10.11", "10.10.10.12", "10.10.10.13")) {
            if (lab.run(m, "curl", "-sf", "-m", "3", "-o", "/dev/null", "http://127.0.0.1:8008/cluster").exit() == 0) {
                String l = leader(lab, m);
                if (l != null) {
                    return l;
                }
            }
        }
        throw new AssertionError("no member of pg-test says who leads");
    }

    /** The IP of the member that leads, as {@code via}'s Patroni says; null when none does. */
    static String leader(SandboxExtension.Lab lab, String via) throws IOException {
        for (Map.Entry<String, String> e : roles(lab, via).entrySet()) {
            if (e.getValue().startsWith("leader/")) {
                return e.getKey();
            }
        }
        return null;
    }

    /** Waits until a member other than {@code old} leads and runs, as {@code via} sees it; returns its IP. */
    static String awaitNewLeader(SandboxExtension.Lab lab, String via, String old, int seconds) throws IOException {
        for (int i = 0; i < seconds * 2; i++) {
            try {
                Map<String, String> r = roles(lab, via);
                for (Map.Entry<String, String> e : r.entrySet()) {
                    if (e.getValue().equals("leader/running") && !e.getKey().equals(old)) {
                        return e.getKey();
                    }
                }
            } catch (AssertionError | IOException e) {
                // Patroni busy with the change: ask again
            }
            lab.sh(CLIENT, "sleep 0.5");
        }
        throw new AssertionError("no member but " + old + " leads after " + seconds + " s: " + roles(lab, via));
    }

    /** Waits until {@code member} is a replica whose WAL receiver streams. */
    static void awaitStreaming(SandboxExtension.Lab lab, String member, int seconds) {
        lab.sh(member, "for i in $(seq " + seconds + "); do su -s /bin/sh postgres -c \"psql -AtXc 'SELECT status FROM pg_stat_wal_receiver'\""
                + " 2>/dev/null | grep -q streaming && exit 0; sleep 1; done; echo 'not streaming' >&2; exit 1");
    }

    /**
     * Waits until a replica has streamed for three checks in a row, each as pig's own convergence
     * check asks it (Patroni answers /health and the WAL receiver streams): a replica just booted
     * may stream, then restart its receiver once Patroni rewrites its recovery settings.
     */
    static void awaitSteadyStreaming(SandboxExtension.Lab lab, String member, int seconds) {
        lab.sh(member, "n=0; for i in $(seq " + seconds + "); do if curl -sf -m 2 -o /dev/null http://127.0.0.1:8008/health && su -s /bin/sh"
                + " postgres -c \"psql -AtXc 'SELECT status FROM pg_stat_wal_receiver'\" 2>/dev/null | grep -q streaming; then n=$((n+1));"
                + " [ $n -ge 3 ] && exit 0; else n=0; fi; sleep 1; done; echo 'not streaming steadily' >&2; exit 1");
    }

    /** Waits until pg-test has a synchronous standby (after {@code pg_rpo: 0} reached the DCS). */
    static String awaitSyncStandby(SandboxExtension.Lab lab, String via, int seconds) throws IOException {
        for (int i = 0; i < seconds; i++) {
            for (Map.Entry<String, String> e : roles(lab, via).entrySet()) {
                if (e.getValue().startsWith("sync_standby/")) {
                    return e.getKey();
                }
            }
            lab.sh(CLIENT, "sleep 1");
        }
        throw new AssertionError("no synchronous standby after " + seconds + " s: " + roles(lab, via));
    }

    // ------------------------------------------------------------------------------ who accepts writes

    /**
     * Starts, on each member, a poll of its own PostgreSQL every 200 ms over the local socket:
     * whether it accepts writes ({@code pg_is_in_recovery()} is false), logged with the time. It
     * runs on the member itself, so it goes on while the member is cut off the network.
     */
    static void startWritablePolls(SandboxExtension.Lab lab, List<String> members) {
        for (String m : members) {
            lab.sh(m, "rm -f /tmp/writable.log /tmp/writable.stop; nohup sh -c 'while [ ! -e /tmp/writable.stop ]; do "
                    + "v=$(PGCONNECT_TIMEOUT=1 su -s /bin/sh postgres -c \"psql -AtXc \\\"SELECT pg_is_in_recovery()\\\"\" 2>/dev/null)"
                    + " || v=down; echo \"$(date +%s.%N) $v\"; sleep 0.2; done' > /tmp/writable.log 2>&1 &");
        }
    }

    /**
     * Stops the polls and returns, per member, the spans in which it accepted writes: each run of
     * samples saying so, widened to the samples around it, since it may have accepted writes
     * until just before the next sample.
     */
    static Map<String, List<double[]>> writableSpans(SandboxExtension.Lab lab, List<String> members) {
        Map<String, List<double[]>> out = new TreeMap<>();
        for (String m : members) {
            lab.sh(m, "touch /tmp/writable.stop; sleep 0.5");
            List<double[]> spans = new ArrayList<>();
            double prev = Double.NEGATIVE_INFINITY;
            double start = Double.NaN;
            for (String l : lab.sh(m, "cat /tmp/writable.log").split("\n")) {
                String[] f = l.trim().split(" ");
                if (f.length != 2) {
                    continue;
                }
                double at = Double.parseDouble(f[0]);
                boolean writable = f[1].equals("f");
                if (writable && Double.isNaN(start)) {
                    start = prev;
                } else if (!writable && !Double.isNaN(start)) {
                    spans.add(new double[] {start, at});
                    start = Double.NaN;
                }
                prev = at;
            }
            if (!Double.isNaN(start)) {
                spans.add(new double[] {start, Double.POSITIVE_INFINITY});
            }
            out.put(m, spans);
        }
        return out;
    }

    /** Fails when two members accepted writes at the same instant. */
    static void assertNeverTwoWritable(Map<String, List<double[]>> spans) {
        List<String> members = new ArrayList<>(spans.keySet());
        for (int i = 0; i < members.size(); i++) {
            for (int j = i + 1; j < members.size(); j++) {
                for (double[] a : spans.get(members.get(i))) {
                    for (double[] b : spans.get(members.get(j))) {
                        assertTrue(a[1] <= b[0] || b[1] <= a[0], members.get(i) + " accepted writes from " + a[0] + " to " + a[1]
                                + " and " + members.get(j) + " from " + b[0] + " to " + b[1]);
                    }
                }
            }
        }
    }
}
