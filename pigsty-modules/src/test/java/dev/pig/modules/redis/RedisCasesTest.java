package dev.pig.modules.redis;

import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import dev.pig.modules.PlanningCase;

/** The REDIS task cases of {@code src-test-fixtures/redis/cases/}, over the sandbox's inventory unless a case names another. */
class RedisCasesTest {
    @TestFactory
    Stream<DynamicTest> each_case_plans_as_it_expects() {
        return PlanningCase.all("redis", "inventory-examples/sandbox.yml", RedisModule::new);
    }
}
