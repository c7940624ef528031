package dev.pig.modules.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.pig.core.model.RepoUpstream;

/**
 * {@code node_repo}: pig's own tables of each distribution's archive. What sources a host gets
 * from {@code node_repo_modules} and {@code repo_upstream}, and when the lists are fetched, is in
 * the cases of {@code src-test-fixtures/node/cases/}.
 */
class PackageSourcesTest {

    @Test
    void pigs_own_tables_cover_exactly_the_modules_validation_knows() {
        for (NodeOs os : NodeOs.known()) {
            assertEquals(RepoUpstream.BUILT_IN_MODULES, os.repo().builtIn().stream().map(RepoUpstream::module)
                    .collect(Collectors.toSet()), os.family());
        }
    }
}
