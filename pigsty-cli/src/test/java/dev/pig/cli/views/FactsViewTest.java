package dev.pig.cli.views;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.pig.core.plan.Masker;

class FactsViewTest {
    /** What a module may parse from its section: an instance with an optional upstream. */
    record Instance(String name, Optional<Endpoint> replicaOf, Optional<String> password) {
    }

    record Endpoint(String host, int port) {
    }

    @Test
    void facts_holding_optionals_print_as_json_with_their_value_or_null_and_secrets_masked() {
        String json = FactsView.maskedJson(List.of(new Instance("redis-ms-1-6380", Optional.of(new Endpoint("10.10.10.10", 6379)),
                Optional.of("Redis.Secret.1")), new Instance("redis-ms-1-6379", Optional.empty(), Optional.empty())),
                new Masker(List.of("Redis.Secret.1")));
        assertTrue(json.contains("\"replicaOf\" : {\n    \"host\" : \"10.10.10.10\",\n    \"port\" : 6379\n  }"), json);
        assertTrue(json.contains("\"replicaOf\" : null"), json);
        assertTrue(!json.contains("Redis.Secret.1") && json.contains("\"password\" : \"***\""), json);
    }
}
