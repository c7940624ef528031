package dev.pig.modules.etcd;

import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import dev.pig.modules.PlanningCase;

/** The ETCD task cases of {@code src-test-fixtures/etcd/cases/}, over {@code trio.yml} unless a case names another. */
class EtcdCasesTest {
    @TestFactory
    Stream<DynamicTest> each_case_plans_as_it_expects() {
        return PlanningCase.all("etcd", EtcdFixtures.INVENTORY, EtcdModule::new);
    }
}
