package dev.pig.modules.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.pig.core.exec.Planner;
import dev.pig.core.fact.FactGatherer;
import dev.pig.core.fact.HostFacts;
import dev.pig.core.model.ClusterModel;
import dev.pig.core.model.ModelLoader;
import dev.pig.core.model.Node;
import dev.pig.core.plan.HostPlan;
import dev.pig.core.plan.Masker;
import dev.pig.core.task.Staged;
import dev.pig.core.task.Task;
import dev.pig.core.template.Templates;
import dev.pig.modules.ModuleContext;

/**
 * The NODE module over {@code src-test-fixtures/node/inventory.yml}, planned against recorded
 * facts in {@code src-test-fixtures/node/facts/}. Pig's own public key is a fixed test key, so
 * nothing depends on the machine the tests run on.
 */
final class NodeFixtures {
    static final String PIG_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFixturePigOwnKeyForTests00000000000000 pig@control";
    static final List<String> HOSTS = List.of("10.10.10.11", "10.10.10.12");

    final ClusterModel model = ModelLoader.load(path("node/inventory.yml"), List.of()).model();
    final ModuleContext ctx = new ModuleContext(model, Templates.builtIn());
    final NodeModule module = new NodeModule(n -> List.of(PIG_KEY), NodeFixtures::random);

    /** Randomness that repeats for the same seed, so the key pairs pig makes are the same on every test run. */
    static java.security.SecureRandom random(String seed) {
        return new java.security.SecureRandom() {
            private long counter;

            @Override
            public void nextBytes(byte[] out) {
                try {
                    java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
                    for (int i = 0; i < out.length; i += 32) {
                        byte[] block = md.digest((seed + "#" + counter++).getBytes(StandardCharsets.UTF_8));
                        System.arraycopy(block, 0, out, i, Math.min(32, out.length - i));
                    }
                } catch (java.security.NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }

    static boolean update() {
        return Boolean.getBoolean("pig.fixtures.update");
    }

    static Path path(String relative) {
        String root = System.getProperty("pig.root");
        Path p = root != null ? Path.of(root) : Path.of("..");
        if (!Files.isDirectory(p.resolve("src-test-fixtures"))) {
            p = Path.of(".");
        }
        return p.toAbsolutePath().normalize().resolve("src-test-fixtures").resolve(relative);
    }

    static String read(String relative) {
        try {
            return Files.readString(path(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(String relative, String content) {
        try {
            Path p = path(relative);
            Files.createDirectories(p.getParent());
            Files.writeString(p, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Node node(String host) {
        return model.node(host).orElseThrow();
    }

    List<Task> tasks(String host) {
        return new ArrayList<>(module.tasks(ctx, node(host)));
    }

    List<Task> removal(String host) {
        List<Staged> r = module.removal(ctx, node(host));
        return new ArrayList<>(r);
    }

    HostFacts facts(String host, List<Task> tasks, String output) {
        return new FactGatherer(module.factSections(ctx)).parse(host, Planner.request(tasks), output);
    }

    HostPlan plan(String host, String factsFixture) {
        return planText(host, read("node/facts/" + factsFixture));
    }

    HostPlan planText(String host, String output) {
        List<Task> tasks = tasks(host);
        return Planner.planFromFacts(facts(host, tasks, output), tasks, Masker.none());
    }
}
