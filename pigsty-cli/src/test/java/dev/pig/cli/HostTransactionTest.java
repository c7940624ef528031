package dev.pig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/**
 * A first deploy installs the modules' packages of a host in one apt transaction (NODE's), but
 * PGSQL's server, and what must come before some of them moves there, just before it: REDIS's
 * masks of Debian's redis units. Each runs once, where the plan said.
 */
class HostTransactionTest {
    static final String INV = PigRunner.path("inventory-examples/sandbox.yml");

    @Test
    void one_install_per_host_with_the_masks_made_just_before_it() {
        FakeHosts hosts = new FakeHosts();
        PigRunner.Result r = PigRunner.runWith(hosts, "deploy", "-i", INV, "-l", "10.10.10.10", "-y");
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        List<String> log = List.copyOf(hosts.host("10.10.10.10").log);

        List<Integer> installs = matching(log, c -> c.contains("apt-get install -y"));
        assertEquals(2, installs.size(), "the host's transaction and PGSQL's: " + installs.stream().map(log::get).toList());
        int install = installs.get(0);
        for (String pkg : List.of(" chrony", " etcd-server", " default-jre-headless", " redis-server")) {
            assertTrue(log.get(install).contains(pkg), pkg + " in " + log.get(install));
        }
        int server = installs.get(1);
        assertTrue(log.get(server).contains(" postgresql-15") && !log.get(server).contains(" chrony"), log.get(server));
        for (Predicate<String> before : List.<Predicate<String>>of(c -> c.startsWith("systemctl mask redis-server.service"),
                c -> c.startsWith("systemctl mask redis-sentinel.service"))) {
            List<Integer> at = matching(log, before);
            assertEquals(1, at.size(), "once: " + at.stream().map(log::get).toList());
            assertTrue(at.get(0) < install, log.get(at.get(0)) + " before the install, not after");
        }
        // the dbsu exists with its uid before PGSQL's packages
        List<Integer> dbsu = matching(log, c -> c.startsWith("useradd") && c.endsWith(" postgres"));
        assertTrue(dbsu.size() == 1 && install < dbsu.get(0) && dbsu.get(0) < server, "useradd between the two: " + log);
        // the plan says where they went, and what the host's install does first
        assertTrue(r.out().lines().anyMatch(l -> l.strip().startsWith("+ install chrony ") && l.contains(" redis-server ")
                && l.endsWith("; first: command mask redis-server.service, command mask redis-sentinel.service")), r.out());
        PigRunner.Result plan = PigRunner.runWith(new FakeHosts(), "plan", "-i", INV, "-l", "10.10.10.10", "--json");
        for (String task : List.of("command mask redis-server.service", "command mask redis-sentinel.service")) {
            assertTrue(plan.out().matches("(?s).*\"task\" *: *\"" + task + "\"[^}]*done in 'packages node' in this run, before its install.*"),
                    task + ": " + plan.out());
        }
    }

    @Test
    void the_postgres_nodes_install_postgresql_while_the_infra_node_still_runs_infra() throws Exception {
        // pg-meta-1's VictoriaMetrics start waits (10 s at most) for pg-test-1's PostgreSQL install:
        // with every host waiting for the others after each step it would never come, as pg-test-1's
        // install follows INFRA's, ETCD's and MINIO's steps in the plan
        FakeHosts hosts = new FakeHosts();
        java.util.concurrent.CountDownLatch installed = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicReference<String> waited = new java.util.concurrent.atomic.AtomicReference<>();
        // the commands of both hosts, in the order they came
        List<String> both = java.util.Collections.synchronizedList(new ArrayList<>());
        hosts.host("10.10.10.11").onCommand = c -> {
            both.add("10.10.10.11: " + c);
            if (c.contains("apt-get install -y") && c.contains(" postgresql-15")) {
                installed.countDown();
            }
        };
        hosts.host("10.10.10.10").onCommand = c -> {
            both.add("10.10.10.10: " + c);
            if (waited.get() == null && c.contains("victoria-metrics.service") && c.matches("(?s).*systemctl (re)?start.*")) {
                try {
                    waited.set(installed.await(10, java.util.concurrent.TimeUnit.SECONDS) ? "installed" : "not installed in 10 s");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        PigRunner.Result r = PigRunner.runWith(hosts, "deploy", "-i", INV, "-y");
        assertEquals(ExitCodes.OK, r.code(), r.toString());
        assertEquals("installed", waited.get(), "pg-meta-1's VictoriaMetrics start: " + r.out());
        // and the shared stages after the install still waited for the infra node: pg-test-1's
        // Patroni starts after etcd has started on pg-meta-1
        List<String> order = List.copyOf(both);
        List<Integer> etcd = matching(order, c -> c.startsWith("10.10.10.10: ") && c.contains("etcd.service")
                && c.matches("(?s).*systemctl (re)?start.*"));
        List<Integer> patroni = matching(order, c -> c.startsWith("10.10.10.11: ") && c.contains("patroni.service") && c.contains("start"));
        assertTrue(!etcd.isEmpty() && !patroni.isEmpty(), "etcd's and Patroni's starts: " + order);
        assertTrue(etcd.get(0) < patroni.get(0), order.get(etcd.get(0)) + " before " + order.get(patroni.get(0)));
    }

    private static List<Integer> matching(List<String> log, Predicate<String> p) {
        List<Integer> out = new ArrayList<>();
        IntStream.range(0, log.size()).filter(i -> p.test(log.get(i))).forEach(out::add);
        return out;
    }
}
