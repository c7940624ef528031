package dev.pig.it;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Store;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import dev.pig.core.model.ClusterModel;
import dev.pig.core.model.ModelLoader;
import dev.pig.core.model.Node;
import dev.pig.core.ssh.SshTarget;
import dev.pig.modules.Deployment;
import dev.pig.sandbox.Sandbox;
import dev.pig.sandbox.SandboxHost;
import dev.pig.sandbox.SandboxHosts;
import dev.pig.sandbox.SandboxLayout;
import dev.pig.sandbox.system.Tools;

/**
 * Brings the sandbox of {@link #INVENTORY} up once per test JVM, hands tests a {@link Lab} to
 * run commands on its nodes, and takes it down when the JVM's tests are done, or when the JVM is
 * interrupted. Use it on {@code *IT} classes (run by failsafe in {@code mvn verify}):
 *
 * <pre>
 * &#64;ExtendWith(SandboxExtension.class)
 * class PatroniIT {
 *     &#64;Test
 *     void primary_is_up(SandboxExtension.Lab lab) {
 *         assertEquals(0, lab.run("pg-test-1", "systemctl", "is-active", "patroni").exit());
 *     }
 * }
 * </pre>
 *
 * <p>A class marked {@link Inventory} gets the lab of that inventory instead (other nodes, other
 * releases). One lab runs at a time: the labs share the bridge and the package proxy, and the
 * machine's two cores. A class of another lab than the running one takes it down first (its
 * disks and converged copy stay for a later class), and boots its own.
 *
 * <p>{@link Lab#run} uses the system's ssh client; {@link Lab#target} is how pig itself reaches a
 * node, for tests that go through pig's own SSH transport.
 */
public final class SandboxExtension implements BeforeAllCallback, ParameterResolver {
    /** The name of the kept copy of a converged sandbox. */
    static final String CONVERGED = "converged";

    /** The four-node inventory the ITs run on. */
    public static final Path INVENTORY = repo("inventory-examples/sandbox.yml");

    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(SandboxExtension.class);

    /**
     * A test class that starts from the sandbox with its inventory deployed and converged,
     * rather than from fresh node disks: the first such class deploys it and keeps a copy of the
     * disks; each one after that gets the copy back in seconds instead of deploying again.
     */
    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    @java.lang.annotation.Target(java.lang.annotation.ElementType.TYPE)
    public @interface Converged {
    }

    /**
     * A test class whose nodes are the hosts of another inventory than {@link #INVENTORY}, a path
     * from the repository root; it starts from fresh node disks, as any class does.
     *
     * <pre>
     * &#64;ExtendWith(SandboxExtension.class)
     * &#64;SandboxExtension.Inventory("inventory-examples/sandbox-trixie.yml")
     * class TrixieIT { ... }
     * </pre>
     */
    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    @java.lang.annotation.Target(java.lang.annotation.ElementType.TYPE)
    public @interface Inventory {
        String value();
    }

    static Path repo(String path) {
        return Path.of(System.getProperty("pig.root", "..")).resolve(path).toAbsolutePath().normalize();
    }

    /** The inventory of a test class's lab. */
    static Path inventoryOf(Class<?> testClass) {
        Inventory i = testClass.getAnnotation(Inventory.class);
        return i == null ? INVENTORY : repo(i.value());
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Labs labs = labs(context);
        Path inventory = inventoryOf(context.getRequiredTestClass());
        long t0 = System.nanoTime();
        labs.running().filter(l -> !l.inventory().equals(inventory)).ifPresent(other -> {
            other.down();
            System.out.printf("[sandbox] took the %d node(s) of %s down for %s%n", other.hosts().size(),
                    other.inventory().getFileName(), context.getRequiredTestClass().getSimpleName());
        });
        boolean started = labs.has(inventory);
        Lab lab = labs.lab(inventory);
        if (context.getRequiredTestClass().isAnnotationPresent(Converged.class)) {
            lab.converged();
        } else if (started) {
            // each other class starts from fresh node disks: what one class installed is not the next one's ground
            lab.sandbox.resetDisks(lab.hosts);
            lab.up();
        }
        System.out.printf("[sandbox] %s starts after %.1f s of setup%n", context.getRequiredTestClass().getSimpleName(),
                (System.nanoTime() - t0) / 1e9);
    }

    private static Labs labs(ExtensionContext context) {
        // the root store outlives every test class; JUnit closes it, and so every lab, at the end
        return context.getRoot().getStore(NS).getOrComputeIfAbsent(Labs.class, k -> new Labs(), Labs.class);
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
        return p.getParameter().getType() == Lab.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext c) {
        return labs(c).lab(inventoryOf(c.getRequiredTestClass()));
    }

    /** The labs this JVM has started, by inventory; the one last brought up is the running one. */
    static final class Labs implements AutoCloseable {
        private final java.util.Map<Path, Lab> byInventory = new java.util.LinkedHashMap<>();
        private Lab running;

        synchronized boolean has(Path inventory) {
            return byInventory.containsKey(inventory);
        }

        /** The lab of an inventory, started now (from fresh disks) when this JVM has none yet. */
        synchronized Lab lab(Path inventory) {
            Lab lab = byInventory.get(inventory);
            if (lab == null) {
                lab = Lab.start(inventory, SandboxLayout.defaults());
                byInventory.put(inventory, lab);
            }
            running = lab;
            return lab;
        }

        synchronized java.util.Optional<Lab> running() {
            return java.util.Optional.ofNullable(running);
        }

        @Override
        public synchronized void close() {
            RuntimeException first = null;
            for (Lab lab : byInventory.values()) {
                try {
                    lab.close();
                } catch (RuntimeException e) {
                    if (first == null) {
                        first = e;
                    } else {
                        first.addSuppressed(e);
                    }
                }
            }
            if (first != null) {
                throw first;
            }
        }
    }

    /** The running sandbox, as tests see it. */
    public static final class Lab implements AutoCloseable {
        private final Path inventory;
        private final Sandbox sandbox;
        private final ClusterModel model;
        private final List<SandboxHost> hosts;
        /** Nodes that had no files on this machine before the lab: it deletes theirs when it closes. */
        private final List<SandboxHost> made;
        private final Thread shutdownHook;

        private Lab(Path inventory, SandboxLayout layout) {
            this.inventory = inventory;
            this.sandbox = new Sandbox(layout, line -> System.out.println("[sandbox] " + line));
            this.model = ModelLoader.load(inventory, List.of()).model();
            this.hosts = SandboxHosts.fromInventory(inventory);
            this.made = hosts.stream().filter(h -> !java.nio.file.Files.exists(layout.node(h))).toList();
            this.shutdownHook = new Thread(this::takeDown, "sandbox-down");
        }

        /** Every node down; the nodes this lab made, forgotten, so the machine is left as the lab found it. */
        private void takeDown() {
            sandbox.down(hosts, false);
            if (!made.isEmpty()) {
                sandbox.forget(made).forEach(line -> System.out.println("[sandbox] " + line));
            }
        }

        /**
         * Brings up the sandbox of an inventory, with its files in {@code layout}, and registers
         * the shutdown hook that takes it down again.
         */
        static Lab start(Path inventory, SandboxLayout layout) {
            Lab lab = new Lab(inventory, layout);
            // registered before up, so even a JVM stopped mid-boot takes its nodes down
            Runtime.getRuntime().addShutdownHook(lab.shutdownHook);
            try {
                // every run starts from fresh node disks, so a first deploy really installs, and
                // makes its own converged copy: one left by an earlier run is of another pig
                lab.sandbox.resetDisks(lab.hosts);
                lab.sandbox.dropSnapshot(lab.hosts, CONVERGED);
                lab.up();
            } catch (RuntimeException e) {
                try {
                    lab.close();
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
                throw e;
            }
            return lab;
        }

        public Sandbox sandbox() {
            return sandbox;
        }

        /** The inventory whose hosts are this lab's nodes. */
        public Path inventory() {
            return inventory;
        }

        public List<SandboxHost> hosts() {
            return hosts;
        }

        public SandboxHost node(String nameOrIp) {
            return Sandbox.find(hosts, nameOrIp);
        }

        /**
         * How pig reaches a node: the target {@link Deployment#target} builds from the inventory's
         * host (address, port, user, {@code ansible_ssh_private_key_file}), for pig's own transport.
         */
        public SshTarget target(String nameOrIp) {
            SandboxHost h = node(nameOrIp);
            Node n = model.nodes().stream().filter(x -> x.address().equals(h.ip())).findFirst()
                    .orElseThrow(() -> new IllegalStateException(h + " is not a host of the inventory"));
            return Deployment.target(n);
        }

        /** Runs a command on a node over SSH as root, with a 5-minute timeout. */
        public Tools.Result run(String node, String... command) {
            return sandbox.ssh(node(node), List.of(command), 300);
        }

        /** Runs a shell command on a node from /tmp and returns what it printed; fails the test when it exits non-zero. */
        public String sh(String node, String command) {
            Tools.Result r = run(node, "sh", "-c", "cd /tmp && " + command);
            if (r.exit() != 0) {
                throw new AssertionError(node + ": " + command + " exited " + r.exit() + "\n" + r.out() + r.err());
            }
            return r.out().strip();
        }

        /** One SQL statement as the dbsu in {@code db} on a node, tuples only. */
        public String psql(String node, String db, String sql) {
            return sh(node, "su -s /bin/sh postgres -c \"psql -d " + db + " -AtXq -c \\\"" + sql + "\\\"\"");
        }

        /**
         * Waits until a new leader's own backup repository is ready: Patroni's role-change
         * callback made the stanza and finished the first full backup (at most 120 s).
         */
        public void awaitBackup(String node, String cluster) {
            sh(node, "for i in $(seq 120); do su -s /bin/sh postgres -c 'pgbackrest --stanza=" + cluster + " --output=json info'"
                    + " | grep -q '\"held\":false}},\"message\":\"ok\"' && exit 0; sleep 1; done;"
                    + " echo 'no backup in the repository after 120 s' >&2; cat /pg/log/pgbackrest/pg-role-change.log >&2; exit 1");
        }

        /**
         * The sandbox with its inventory deployed: the kept copy of a converged deployment
         * when there is one, else deployed now from fresh disks and then kept. Either way it
         * returns once every cluster leads from its inventory primary with its replicas
         * streaming, and a plan of the inventory is empty.
         */
        public void converged() {
            long t0 = System.nanoTime();
            if (sandbox.restore(hosts, CONVERGED)) {
                up();
                awaitConverged();
                System.out.printf("[sandbox] converged sandbox restored in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            } else {
                sandbox.resetDisks(hosts);
                up();
                Pig deploy = Pig.run("deploy", "-i", inventory.toString(), "-y");
                if (deploy.exit() != 0) {
                    throw new AssertionError("the sandbox did not deploy: " + deploy.out() + deploy.err());
                }
                sandbox.snapshot(hosts, CONVERGED);
                up();
                awaitConverged();
                System.out.printf("[sandbox] converged sandbox deployed and kept in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            }
            Pig plan = Pig.run("plan", "-i", inventory.toString(), "--detailed-exitcode");
            if (plan.exit() != 0) {
                throw new AssertionError("the converged sandbox plans changes after its nodes booted again: " + plan.out() + plan.err());
            }
        }

        /**
         * Waits until each cluster of the inventory leads from its {@code pg_role: primary}, with
         * every replica streaming: after a cold start of all members any of them may have taken
         * the lead, and the tests expect the inventory's primary there.
         */
        void awaitConverged() {
            for (dev.pig.core.model.PgCluster c : model.pgClusters()) {
                String primary = c.primary().orElseThrow().name();
                String ip = c.primary().orElseThrow().ip();
                int replicas = c.instances().size() - 1;
                String wait = "for i in $(seq 180); do c=$(curl -sf -m 2 http://127.0.0.1:8008/cluster) && "
                        + "printf '%s' \"$c\" | python3 -c 'import json,sys; d=json.load(sys.stdin); m=d[\"members\"]; "
                        + "l=[x[\"name\"] for x in m if x[\"role\"]==\"leader\"]; "
                        + "s=[x for x in m if x[\"role\"]!=\"leader\" and x[\"state\"] in (\"streaming\",\"running\") and x.get(\"lag\",1)==0]; "
                        + "sys.exit(0 if l==[\"" + primary + "\"] and len(s)==" + replicas + " else (3 if l and l!=[\"" + primary + "\"] else 1))'; "
                        + "r=$?; [ $r = 0 ] && exit 0; "
                        + "[ $r = 3 ] && su -s /bin/sh postgres -c 'patronictl -c /etc/patroni/patroni.yml switchover --candidate "
                        + primary + " --force' >/dev/null 2>&1; sleep 1; done; curl -s http://127.0.0.1:8008/cluster >&2; exit 1";
                sh(ip, wait);
                // Patroni 3.0 calls a replica "running" as soon as PostgreSQL runs, and at boot a
                // replica may still be fetching WAL from the repository (an S3 store that starts
                // with it): the WAL receiver streams before the plan is asked
                for (dev.pig.core.model.PgInstance i : c.instances()) {
                    if (!i.ip().equals(ip)) {
                        sh(i.ip(), "for i in $(seq 180); do su -s /bin/sh postgres -c \"psql -AtXqc 'SELECT status FROM pg_stat_wal_receiver'\""
                                + " 2>/dev/null | grep -q streaming && exit 0; sleep 1; done; echo 'the replica does not stream after 180 s' >&2; exit 1");
                    }
                }
            }
        }

        /** Brings every node up (a no-op for nodes already up). */
        public Sandbox.UpReport up() {
            return sandbox.up(hosts, Duration.ofSeconds(180));
        }

        /** Takes every node down; the disks and the image stay for the next up. */
        public List<String> down() {
            return sandbox.down(hosts, false);
        }

        @Override
        public void close() {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                return; // the JVM is shutting down and the hook is running
            }
            takeDown();
        }
    }
}
