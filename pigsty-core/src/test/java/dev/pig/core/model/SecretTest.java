package dev.pig.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class SecretTest {
    record Holder(String name, Secret password, List<Secret> others, Map<String, Secret> byName) {
    }

    @Test
    void serialises_as_stars_wherever_jackson_meets_it() throws Exception {
        Secret s = new Secret("DBUser.DBA");
        String json = new ObjectMapper().writeValueAsString(new Holder("dba", s, List.of(s), Map.of("k", s)));
        assertEquals("{\"name\":\"dba\",\"password\":\"***\",\"others\":[\"***\"],\"byName\":{\"k\":\"***\"}}", json);
        assertEquals("***", String.valueOf(s));
        assertEquals("DBUser.DBA", s.reveal());
    }
}
