package dev.pig.modules.node;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.List;

import dev.pig.modules.PlanningFixture;
import dev.pig.modules.RecordedFacts;

/**
 * The NODE module over {@code src-test-fixtures/node/inventory.yml}, planned against recorded
 * facts in {@code src-test-fixtures/node/facts/}. Pig's own public key is a fixed test key and
 * its randomness repeats, so nothing depends on the machine or the run.
 */
final class NodeFixtures {
    static final String PIG_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFixturePigOwnKeyForTests00000000000000 pig@control";
    static final List<String> HOSTS = List.of("10.10.10.11", "10.10.10.12");
    static final String INVENTORY = "src-test-fixtures/node/inventory.yml";

    private NodeFixtures() {
    }

    /** NODE as the tests run it: pig's key is {@link #PIG_KEY}, its key pairs come from {@link #random}. */
    static NodeModule module() {
        return new NodeModule(n -> List.of(PIG_KEY), NodeFixtures::random);
    }

    /** The fixture inventory with {@code -e} values, no host's facts given yet. */
    static PlanningFixture fixture(String... extraVars) {
        return PlanningFixture.of(module(), INVENTORY, extraVars);
    }

    /** {@code host} of the fixture inventory reporting {@code facts}. */
    static PlanningFixture on(String host, RecordedFacts facts) {
        return fixture().host(host, facts);
    }

    /** A recorded output of {@code src-test-fixtures/node/facts/}. */
    static RecordedFacts recorded(String name) {
        return RecordedFacts.of("node/facts/" + name);
    }

    /** Randomness that repeats for the same seed, so the key pairs pig makes are the same on every test run. */
    static SecureRandom random(String seed) {
        return new SecureRandom() {
            private long counter;

            @Override
            public void nextBytes(byte[] out) {
                try {
                    MessageDigest md = MessageDigest.getInstance("SHA-256");
                    for (int i = 0; i < out.length; i += 32) {
                        byte[] block = md.digest((seed + "#" + counter++).getBytes(StandardCharsets.UTF_8));
                        System.arraycopy(block, 0, out, i, Math.min(32, out.length - i));
                    }
                } catch (NoSuchAlgorithmException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
    }
}
