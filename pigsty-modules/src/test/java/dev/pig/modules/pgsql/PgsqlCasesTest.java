package dev.pig.modules.pgsql;

import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import dev.pig.modules.PlanningCase;

/** The PGSQL task cases of {@code src-test-fixtures/pgsql/cases/}, over the sandbox example unless a case names another. */
class PgsqlCasesTest {
    static {
        // userlist.txt holds SCRAM verifiers, whose salts are random for each run of pig
        Passwords.fixSaltKeyForTests(new byte[32]);
    }

    @TestFactory
    Stream<DynamicTest> each_case_plans_as_it_expects() {
        return PlanningCase.all("pgsql", PgsqlFixtures.SANDBOX, PgsqlModule::new);
    }
}
