package dev.pig.modules.node;

import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import dev.pig.modules.PlanningCase;

/** The NODE task cases of {@code src-test-fixtures/node/cases/}, over the fixture inventory unless a case names another. */
class NodeCasesTest {
    @TestFactory
    Stream<DynamicTest> each_case_plans_as_it_expects() {
        return PlanningCase.all("node", NodeFixtures.INVENTORY, NodeFixtures::module);
    }
}
