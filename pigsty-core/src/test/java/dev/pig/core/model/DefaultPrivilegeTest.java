package dev.pig.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** pg_default_privileges entries read into what they grant, as pg_default_acl spells it. */
class DefaultPrivilegeTest {

    @Test
    void reads_pigsty_s_aligned_form() {
        DefaultPrivilege p = DefaultPrivilege.parse("GRANT SELECT     ON TABLES    TO dbrole_readonly");
        assertEquals('r', p.objtype());
        assertEquals(List.of("SELECT"), p.privileges());
        assertEquals(List.of("dbrole_readonly"), p.grantees());
        assertEquals("GRANT SELECT     ON TABLES    TO dbrole_readonly", p.statement());
    }

    @Test
    void expands_all_and_reads_several_privileges_and_roles() {
        assertEquals(List.of("USAGE", "SELECT", "UPDATE"), DefaultPrivilege.parse("grant all privileges on sequences to app").privileges());
        DefaultPrivilege p = DefaultPrivilege.parse("GRANT usage, create ON SCHEMAS TO \"Mixed Case\", PUBLIC, Admins WITH GRANT OPTION;");
        assertEquals('n', p.objtype());
        assertEquals(List.of("USAGE", "CREATE"), p.privileges());
        assertEquals(List.of("Mixed Case", "PUBLIC", "admins"), p.grantees());
        assertTrue(p.grantOption());
        assertEquals('f', DefaultPrivilege.parse("GRANT EXECUTE ON ROUTINES TO x").objtype());
        assertEquals('T', DefaultPrivilege.parse("GRANT USAGE ON TYPES TO x").objtype());
    }

    @Test
    void refuses_what_it_cannot_compare_with_the_catalog() {
        assertThrows(IllegalArgumentException.class, () -> DefaultPrivilege.parse("REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC"));
        assertThrows(IllegalArgumentException.class, () -> DefaultPrivilege.parse("GRANT SELECT ON TABLES IN SCHEMA app TO x"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DefaultPrivilege.parse("GRANT EXECUTE ON TABLES TO x"));
        assertTrue(e.getMessage().contains("it takes SELECT, INSERT"), e.getMessage());
    }
}
