package dev.pig.modules.pgsql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.pig.core.model.DefaultPrivilege;
import dev.pig.core.model.PgDatabase;
import dev.pig.core.model.PgUser;
import dev.pig.core.model.Secret;
import dev.pig.core.plan.Action;
import dev.pig.core.plan.Change;
import dev.pig.core.plan.Step;
import dev.pig.modules.Fixtures;
import dev.pig.modules.PlanningFixture;

/** Roles and databases planned from a recorded catalog: create, alter, drop, or a no-op that says why. */
class ProvisionTest {
    static final String SCRAM_TEST = "SCRAM-SHA-256$4096:AAECAwQFBgcICQoLDA0ODw==$OxAaKyBbtT82B5WMti3TGSAowcBRpYZkJh52B2k9RVk="
            + ":J/CcUSOZG8UJc+T8yxB4D2Ewjwk0REAYfpRqUqRI5n8=";
    final Provision p = new Provision(TestPg.PG, "scram-sha-256");
    final PgCatalog.View converged = catalog();
    final PgCatalog.View empty = TestPg.catalog().parse("");

    static PgCatalog.View catalog() {
        return TestPg.catalog().parse(Fixtures.read("pgsql/catalog-converged.jsonl"));
    }

    static PgUser user(String name, String password, List<String> roles, PgUser.State state) {
        return new PgUser(name, Optional.ofNullable(password).map(Secret::new), true, false, false, false, true, false, false, -1,
                Optional.empty(), Optional.empty(), roles, Map.of(), "", false, Optional.empty(), Optional.empty(), state);
    }

    static PgUser expiring(String name, Integer expireIn, String expireAt) {
        return new PgUser(name, Optional.empty(), true, false, false, false, true, false, false, -1, Optional.ofNullable(expireIn),
                Optional.ofNullable(expireAt), List.of(), Map.of(), "", false, Optional.empty(), Optional.empty(), PgUser.State.CREATE);
    }

    static PgDatabase db(String name, String owner, List<String> schemas, PgDatabase.State state) {
        return new PgDatabase(name, Optional.ofNullable(owner), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), true, false, -1, schemas, List.of(), "", Optional.empty(), true, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), state);
    }

    /** The SQL a change sends to psql, as plans show it. */
    static String shown(Change c) {
        return ((Change.Act) c).steps().stream().map(s -> s instanceof Step.Exec e && e.shownInput() != null ? e.shownInput() : s.shown())
                .reduce("", String::concat);
    }

    @Test
    void a_catalog_session_cut_short_or_that_changed_role_is_not_an_answer_so_nothing_is_planned_as_missing() {
        String whole = Fixtures.read("pgsql/catalog-converged.jsonl");
        assertTrue(whole.strip().endsWith("[\"end\", false]"), "the recording ends with the session's last row");
        String cut = whole.substring(0, whole.indexOf("[\"db\""));
        PgCatalog.View v = TestPg.catalog().parse(cut);
        assertFalse(v.answered(), "PostgreSQL restarted while the session read: its roles and databases are not known");
        assertTrue(v.databases().isEmpty() && v.roles().isEmpty());
        assertFalse(TestPg.catalog().parse(whole.replace("[\"end\", false]", "[\"end\", true]")).answered(),
                "demoted while the session read");
        assertTrue(TestPg.catalog().parse(whole).answered());
    }

    @Test
    void parses_the_recorded_catalog() {
        assertTrue(converged.primary());
        assertEquals(8, converged.roles().size());
        assertEquals("2030-12-31", converged.role("dbuser_temp").orElseThrow().validUntil());
        assertEquals("", converged.role("test").orElseThrow().validUntil());
        assertEquals(Map.of("log_min_duration_statement", "1000"), converged.role("dbuser_monitor").orElseThrow().settings());
        assertEquals(java.util.Set.of("dbrole_readwrite", "pg_monitor"), converged.role("dbrole_admin").orElseThrow().memberOf());
        assertEquals(Map.of("plpgsql", "pg_catalog", "pg_stat_statements", "monitor", "pg_trgm", "public"),
                converged.database("test").orElseThrow().extensions());
        assertFalse(empty.primary());
    }

    @Test
    void is_noop_when_role_exists_with_the_same_attributes_and_password() {
        Change c = p.role("role test", "pg_user", user("test", "test", List.of("dbrole_admin"), PgUser.State.CREATE), converged);
        assertInstanceOf(Change.NoOp.class, c);
        assertEquals("role test exists with the same attributes", ((Change.NoOp) c).reason());
    }

    @Test
    void an_md5_password_is_compared_too() {
        Provision md5 = new Provision(TestPg.PG, "md5");
        assertInstanceOf(Change.NoOp.class, md5.role("role legacy", "pg_user", user("legacy", "test", List.of(), PgUser.State.CREATE), converged));
        assertInstanceOf(Change.Act.class, md5.role("role legacy", "pg_user", user("legacy", "other", List.of(), PgUser.State.CREATE), converged));
        assertInstanceOf(Change.NoOp.class, p.role("role test", "pg_user", user("test", SCRAM_TEST, List.of(), PgUser.State.CREATE), converged));
    }

    @Test
    void an_md5_verifier_is_upgraded_to_scram_when_pg_pwd_enc_asks_for_it() {
        Change.Act a = assertInstanceOf(Change.Act.class,
                p.role("role legacy", "pg_user", user("legacy", "test", List.of(), PgUser.State.CREATE), converged));
        assertEquals(Action.UPDATE, a.action());
        assertEquals("role legacy: password (md5 -> scram-sha-256)", a.summary());
        // the SQL goes to psql on its stdin; the command line holds none of it
        String command = ((Step.Exec) a.steps().get(0)).input();
        assertFalse(((Step.Exec) a.steps().get(0)).command().contains("PASSWORD"));
        assertTrue(command.contains("PASSWORD 'SCRAM-SHA-256$4096:"), command);
        assertTrue(shown(a).contains("PASSWORD '***'"), shown(a));
        // the inventory holds the md5 verifier itself: there is no password to make a scram one from
        assertInstanceOf(Change.NoOp.class, p.role("role legacy", "pg_user",
                user("legacy", "md55f1f47f1e5e9eea64c1b6369958119e9", List.of(), PgUser.State.CREATE), converged));
    }

    @Test
    void creates_a_missing_role_without_showing_its_password() {
        Change c = p.role("role app", "pg_user", user("app", "S3cret!", List.of("dbrole_readwrite"), PgUser.State.CREATE), converged);
        Change.Act a = assertInstanceOf(Change.Act.class, c);
        assertEquals(Action.CREATE, a.action());
        assertEquals("role app", a.summary());
        // the SQL goes to psql on its stdin; the command line holds none of it
        String command = ((Step.Exec) a.steps().get(0)).input();
        assertFalse(((Step.Exec) a.steps().get(0)).command().contains("PASSWORD"));
        assertTrue(command.contains("PASSWORD 'SCRAM-SHA-256$4096:"), command);
        assertFalse(command.contains("S3cret!"), "the plain password is sent");
        assertTrue(shown(c).contains("PASSWORD '***'"));
        assertTrue(command.contains("GRANT \"dbrole_readwrite\" TO \"app\";"));
    }

    @Test
    void alters_a_role_whose_password_and_membership_differ() {
        Change c = p.role("role test", "pg_user", user("test", "other", List.of("dbrole_admin", "dbrole_offline"), PgUser.State.CREATE),
                converged);
        Change.Act a = assertInstanceOf(Change.Act.class, c);
        assertEquals(Action.UPDATE, a.action());
        assertEquals("role test: password, +member of dbrole_offline", a.summary());
    }

    @Test
    void expire_at_is_compared_by_day_and_set_with_valid_until() {
        assertEquals("role dbuser_temp exists with the same attributes",
                assertInstanceOf(Change.NoOp.class, p.role("role dbuser_temp", "pg_user", expiring("dbuser_temp", null, "2030-12-31"), converged))
                        .reason());
        Change.Act a = assertInstanceOf(Change.Act.class,
                p.role("role dbuser_temp", "pg_user", expiring("dbuser_temp", null, "2031-06-30"), converged));
        assertEquals("role dbuser_temp: valid until 2030-12-31 -> 2031-06-30", a.summary());
        assertTrue(shown(a).contains("CONNECTION LIMIT -1 VALID UNTIL '2031-06-30';"), shown(a));
        Change.Act created = assertInstanceOf(Change.Act.class, p.role("role app", "pg_user", expiring("app", null, "2031-01-15"), converged));
        assertTrue(shown(created).contains("VALID UNTIL '2031-01-15'"), shown(created));
    }

    @Test
    void expire_in_counts_days_from_today_so_a_run_the_same_day_is_a_noop() {
        Provision onDec1 = new Provision(TestPg.PG, "scram-sha-256", java.time.LocalDate.of(2030, 12, 1));
        Change.NoOp same = assertInstanceOf(Change.NoOp.class,
                onDec1.role("role dbuser_temp", "pg_user", expiring("dbuser_temp", 30, null), converged));
        assertEquals("role dbuser_temp exists with the same attributes; it expires on 2030-12-31, expire_in 30 days from today"
                + " (2030-12-01): a run on a later day moves that date", same.reason());
        Provision onDec2 = new Provision(TestPg.PG, "scram-sha-256", java.time.LocalDate.of(2030, 12, 2));
        Change.Act later = assertInstanceOf(Change.Act.class,
                onDec2.role("role dbuser_temp", "pg_user", expiring("dbuser_temp", 30, null), converged));
        assertEquals("role dbuser_temp: valid until 2030-12-31 -> 2031-01-01", later.summary());
        assertTrue(shown(later).contains("VALID UNTIL '2031-01-01'"), shown(later));
        assertInstanceOf(Change.NoOp.class, onDec1.role("role dbuser_temp", "pg_user", expiring("dbuser_temp", 30, "2040-01-01"), converged),
                "expire_in wins over expire_at, as in Pigsty");
    }

    @Test
    void an_expiry_the_inventory_no_longer_sets_is_lifted() {
        Change.Act a = assertInstanceOf(Change.Act.class, p.role("role dbuser_temp", "pg_user", expiring("dbuser_temp", null, null), converged));
        assertEquals("role dbuser_temp: valid until 2030-12-31 -> never", a.summary());
        assertTrue(shown(a).contains("VALID UNTIL 'infinity'"), shown(a));
        assertInstanceOf(Change.NoOp.class, p.role("role dbuser_lifted", "pg_user", expiring("dbuser_lifted", null, null), converged));
        assertFalse(shown(p.role("role app", "pg_user", expiring("app", null, null), converged)).contains("VALID UNTIL"),
                "a new role without expiry needs no VALID UNTIL");
    }

    @Test
    void role_parameters_are_compared_and_set() {
        Map<String, Object> monitor = new java.util.LinkedHashMap<>(Map.of("name", "dbuser_monitor", "roles", List.of("pg_monitor", "dbrole_readonly"),
                "comment", "pgsql monitor user", "parameters", Map.of("log_min_duration_statement", 1000)));
        assertInstanceOf(Change.NoOp.class, p.role("role dbuser_monitor", "pg_user", Provision.defaultRole(monitor, Optional.empty()), converged));
        monitor.put("parameters", Map.of("log_min_duration_statement", 2000));
        Change.Act a = assertInstanceOf(Change.Act.class,
                p.role("role dbuser_monitor", "pg_user", Provision.defaultRole(monitor, Optional.empty()), converged));
        assertEquals("role dbuser_monitor: set log_min_duration_statement", a.summary());
        assertTrue(shown(a).contains("ALTER ROLE \"dbuser_monitor\" SET \"log_min_duration_statement\" = '2000';"), shown(a));
    }

    @Test
    void drops_an_absent_role_and_is_noop_when_it_is_gone() {
        Change.Act a = assertInstanceOf(Change.Act.class, p.role("role legacy", "pg_user", user("legacy", null, List.of(), PgUser.State.ABSENT), converged));
        assertEquals(Action.DELETE, a.action());
        assertTrue(shown(a).contains("DROP ROLE IF EXISTS \"legacy\";"));
        Change.NoOp n = assertInstanceOf(Change.NoOp.class, p.role("role gone", "pg_user", user("gone", null, List.of(), PgUser.State.ABSENT), converged));
        assertEquals("role gone does not exist", n.reason());
    }

    @Test
    void plans_every_role_as_new_before_the_cluster_runs() {
        Change.Act a = assertInstanceOf(Change.Act.class, p.role("role test", "pg_user", user("test", "test", List.of(), PgUser.State.CREATE), empty));
        assertEquals(Action.CREATE, a.action());
        assertTrue(shown(a).contains("IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'test') THEN CREATE ROLE \"test\""));
    }

    @Test
    void is_noop_when_the_database_has_its_owner_schemas_and_extensions() {
        Change c = p.database("database test", "pg_db", db("test", "test", List.of(), PgDatabase.State.CREATE), List.of("monitor"),
                List.of(new Provision.Ext("pg_stat_statements", "monitor"), new Provision.Ext("pg_repack", "")), converged);
        assertEquals("database test exists with the same owner, schemas and extensions", ((Change.NoOp) c).reason());
    }

    @Test
    void adds_what_an_existing_database_lacks() {
        Change.Act a = assertInstanceOf(Change.Act.class, p.database("database test", "pg_db",
                db("test", "dbuser_dba", List.of("app"), PgDatabase.State.CREATE), List.of("monitor"), List.of(), converged));
        assertEquals("database test: owner test -> dbuser_dba, +schema app", a.summary());
        assertFalse(shown(a).contains("CREATE DATABASE"));
    }

    @Test
    void creates_a_missing_database_with_default_extensions_only_where_available() {
        Change.Act a = assertInstanceOf(Change.Act.class, p.database("database meta", "pg_db",
                db("meta", "dbuser_meta", List.of("pigsty"), PgDatabase.State.CREATE), List.of("monitor"),
                List.of(new Provision.Ext("pg_trgm", "public")), converged));
        assertEquals(Action.CREATE, a.action());
        String sql = shown(a);
        assertTrue(sql.contains("CREATE DATABASE \"meta\" OWNER \"dbuser_meta\" TEMPLATE \"template1\" CONNECTION LIMIT -1;"), sql);
        assertTrue(sql.contains("CREATE SCHEMA IF NOT EXISTS \"pigsty\" AUTHORIZATION \"dbuser_meta\";"), sql);
        assertTrue(sql.contains("REVOKE CREATE ON SCHEMA public FROM PUBLIC;\nGRANT CREATE ON SCHEMA public TO dbrole_admin;"), sql);
        assertTrue(sql.contains("GRANT CREATE ON DATABASE \"meta\" TO dbrole_admin;"), sql);
        assertTrue(sql.contains("WHERE name = 'pg_trgm') THEN CREATE EXTENSION IF NOT EXISTS \"pg_trgm\" SCHEMA \"public\""), sql);
    }

    @Test
    void creates_a_database_with_its_template_encoding_locale_comment_and_connlimit() {
        PgDatabase d = new PgDatabase("olap", Optional.of("dbuser_olap"), Optional.of("template0"), Optional.of("SQL_ASCII"),
                Optional.of("C"), Optional.empty(), Optional.empty(), Optional.empty(), true, false, 16, List.of(), List.of(),
                "it's for reports", Optional.empty(), true, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), PgDatabase.State.CREATE);
        Change.Act a = assertInstanceOf(Change.Act.class, p.database("database olap", "pg_db", d, List.of(), List.of(), converged));
        String sql = shown(a);
        assertTrue(sql.contains("CREATE DATABASE \"olap\" OWNER \"dbuser_olap\" TEMPLATE \"template0\" ENCODING 'SQL_ASCII' LOCALE 'C'"
                + " CONNECTION LIMIT 16;\nCOMMENT ON DATABASE \"olap\" IS 'it''s for reports';\n\\connect \"olap\"\n"), sql);
        assertFalse(sql.contains("ALTER DATABASE"), "a new database is made as declared, not altered after: " + sql);

        PgDatabase collate = new PgDatabase("de", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of("de_DE.UTF-8"), Optional.of("de_DE.UTF-8"), Optional.of("fast"), true, false, -1, List.of(), List.of(), "",
                Optional.empty(), true, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                PgDatabase.State.CREATE);
        assertTrue(shown(p.database("database de", "pg_db", collate, List.of(), List.of(), converged)).contains(
                "CREATE DATABASE \"de\" TEMPLATE \"template1\" LC_COLLATE 'de_DE.UTF-8' LC_CTYPE 'de_DE.UTF-8' TABLESPACE \"fast\""
                        + " CONNECTION LIMIT -1;"));
    }

    @Test
    void an_existing_database_gets_its_connlimit_and_comment_altered() {
        PgDatabase d = new PgDatabase("test", Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), true, false, 50, List.of(), List.of(), "the test database", Optional.empty(), true,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), PgDatabase.State.CREATE);
        Change.Act a = assertInstanceOf(Change.Act.class, p.database("database test", "pg_db", d, List.of(), List.of(), converged));
        assertEquals("database test: connlimit -1 -> 50, comment", a.summary());
        assertTrue(shown(a).contains("ALTER DATABASE \"test\" CONNECTION LIMIT 50;\nCOMMENT ON DATABASE \"test\" IS 'the test database';"),
                shown(a));
    }

    static PgDatabase withBaseline(String name, PgDatabase.State state) {
        return new PgDatabase(name, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), true, false, -1, List.of("pigsty"), List.of(), "", Optional.of("/inv/files/cmdb.sql"),
                true, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), state);
    }

    static final Provision.Baseline CMDB = new Provision.Baseline("cmdb.sql", "CREATE TABLE pigsty.host (ip inet);\n".getBytes());

    @Test
    void a_new_database_gets_default_privileges_and_then_runs_its_baseline_in_the_same_change() {
        Provision.Defaults defaults = new Provision.Defaults(List.of("monitor"), List.of(), pigstyPrivileges(), CREATORS);
        Change.Act a = assertInstanceOf(Change.Act.class, p.database("database meta", "pg_db",
                withBaseline("meta", PgDatabase.State.CREATE), defaults, Optional.of(CMDB), converged));
        assertEquals("database meta with baseline cmdb.sql", a.summary());
        // one psql session: the baseline's text follows the creation on psql's stdin, nothing is uploaded
        assertEquals(1, a.steps().size());
        Step.Exec e = assertInstanceOf(Step.Exec.class, a.steps().get(0));
        String sql = e.input();
        int connect = sql.indexOf("\\connect \"meta\"");
        int schema = sql.indexOf("CREATE SCHEMA IF NOT EXISTS \"pigsty\"");
        int privileges = sql.indexOf("ALTER DEFAULT PRIVILEGES FOR ROLE \"postgres\"");
        int run = sql.indexOf("CREATE TABLE pigsty.host (ip inet);");
        assertTrue(sql.indexOf("CREATE DATABASE \"meta\"") < connect && connect < schema && schema < privileges && privileges < run, sql);
        assertTrue(shown(a).endsWith("-- baseline cmdb.sql (36 bytes)\n"), shown(a));
        assertFalse(e.command().contains("CREATE"), "no SQL on the command line: " + e.command());
    }

    @Test
    void a_baseline_runs_again_only_when_the_database_is_recreated() {
        Provision.Defaults defaults = new Provision.Defaults(List.of(), List.of(), List.of(), List.of());
        PgCatalog.View withMeta = parse("[\"state\", false]\n[\"db\", \"meta\", \"postgres\", \"UTF8\", \"C\", -1, \"\"]\n"
                + "[\"schema\", \"meta\", \"public\"]\n[\"schema\", \"meta\", \"pigsty\"]\n[\"end\", false]\n");
        Change.NoOp n = assertInstanceOf(Change.NoOp.class, p.database("database meta", "pg_db",
                withBaseline("meta", PgDatabase.State.CREATE), defaults, Optional.of(CMDB), withMeta));
        assertEquals("database meta exists with the same owner, schemas and extensions", n.reason());
        Change.Act again = assertInstanceOf(Change.Act.class, p.database("database meta", "pg_db",
                withBaseline("meta", PgDatabase.State.RECREATE), defaults, Optional.of(CMDB), withMeta));
        assertTrue(again.summary().endsWith("with baseline cmdb.sql"), again.summary());
        assertTrue(((Step.Exec) again.steps().get(0)).input().contains("CREATE TABLE pigsty.host (ip inet);"));
    }

    @Test
    void recreates_a_database_with_state_recreate() {
        Change.Act a = assertInstanceOf(Change.Act.class, p.database("database test", "pg_db", db("test", "test", List.of(), PgDatabase.State.RECREATE),
                List.of(), List.of(), converged));
        assertEquals(Action.UPDATE, a.action());
        String sql = shown(a);
        assertTrue(sql.indexOf("DROP DATABASE IF EXISTS \"test\" WITH (FORCE);") < sql.indexOf("CREATE DATABASE \"test\""), sql);
        assertEquals(Action.CREATE, ((Change.Act) p.database("database new", "pg_db", db("new", null, List.of(), PgDatabase.State.RECREATE),
                List.of(), List.of(), converged)).action());
    }

    @Test
    void drops_an_absent_database() {
        Change.Act a = assertInstanceOf(Change.Act.class, p.database("database test", "pg_db", db("test", null, List.of(), PgDatabase.State.ABSENT),
                List.of(), List.of(), converged));
        assertEquals(Action.DELETE, a.action());
        assertTrue(shown(a).contains("DROP DATABASE IF EXISTS \"test\" WITH (FORCE);"));
    }

    /** pg_default_privileges as the sandbox inventory resolves it (Pigsty's defaults). */
    static List<DefaultPrivilege> pigstyPrivileges() {
        PlanningFixture f = PgsqlFixtures.sandbox();
        return f.ctx().vars(f.node("10.10.10.11")).strings("pg_default_privileges").stream().map(DefaultPrivilege::parse).toList();
    }

    static final List<String> CREATORS = List.of("postgres", "dbuser_dba", "dbrole_admin");

    /** A catalog captured from PostgreSQL 15 right after pig provisioned pg-test in it. */
    static String provisioned() {
        return Fixtures.read("pgsql/catalog-provisioned.jsonl");
    }

    static PgCatalog.View parse(String text) {
        return TestPg.catalog().parse(text);
    }

    @Test
    void default_privileges_are_read_per_database_from_the_captured_catalog() {
        PgCatalog.View cat = parse(provisioned());
        assertTrue(cat.defaultAcls("template1").contains(new PgCatalog.DefaultAcl("dbrole_admin", 'r', "dbrole_readonly", "SELECT", false)));
        assertTrue(cat.defaultAcls("test").contains(new PgCatalog.DefaultAcl("postgres", 'n', "dbrole_admin", "CREATE", false)));
        assertTrue(converged.defaultAcls("postgres").isEmpty(), "a catalog without default privileges");
    }

    @Test
    void default_privileges_are_noop_in_each_database_that_has_every_grant() {
        PgCatalog.View cat = parse(provisioned());
        for (String db : List.of("template1", "postgres", "test")) {
            Change.NoOp n = assertInstanceOf(Change.NoOp.class,
                    p.defaultPrivileges("default privileges in " + db, "pg_privilege", db, pigstyPrivileges(), CREATORS, cat));
            assertEquals("default privileges in " + db + " are set: 51 grants for postgres, dbuser_dba, dbrole_admin", n.reason());
        }
    }

    @Test
    void default_privileges_are_set_in_the_database_itself() {
        Change.Act a = assertInstanceOf(Change.Act.class,
                p.defaultPrivileges("default privileges in postgres", "pg_privilege", "postgres", pigstyPrivileges(), CREATORS, converged));
        assertEquals("default privileges in postgres: 51 of 51 grants missing (for postgres, dbuser_dba, dbrole_admin)", a.summary());
        String sql = shown(a);
        assertTrue(sql.startsWith("\\connect \"postgres\"\n"), sql);
        assertTrue(sql.contains("ALTER DEFAULT PRIVILEGES FOR ROLE \"dbrole_admin\" GRANT SELECT     ON TABLES    TO dbrole_readonly;"), sql);
        assertEquals(51, sql.split("ALTER DEFAULT PRIVILEGES", -1).length - 1);
    }

    @Test
    void a_grant_added_to_pg_default_privileges_is_applied_alone() {
        List<DefaultPrivilege> more = new java.util.ArrayList<>(pigstyPrivileges());
        more.add(DefaultPrivilege.parse("GRANT REFERENCES ON TABLES TO dbrole_readwrite"));
        Change.Act a = assertInstanceOf(Change.Act.class,
                p.defaultPrivileges("default privileges in test", "pg_privilege", "test", more, CREATORS, parse(provisioned())));
        assertEquals("default privileges in test: 3 of 54 grants missing (for postgres, dbuser_dba, dbrole_admin)", a.summary());
        String sql = shown(a);
        assertEquals(3, sql.split("ALTER DEFAULT PRIVILEGES", -1).length - 1, sql);
        assertTrue(sql.contains("ALTER DEFAULT PRIVILEGES FOR ROLE \"dbuser_dba\" GRANT REFERENCES ON TABLES TO dbrole_readwrite;"), sql);
    }

    @Test
    void only_the_creator_that_lacks_grants_is_altered() {
        // template1 as it is after an older provisioning, which left dbrole_admin out
        String older = provisioned().lines().filter(l -> !l.startsWith("[\"defacl\", \"template1\", \"dbrole_admin\","))
                .reduce("", (x, l) -> x + l + "\n");
        Change.Act a = assertInstanceOf(Change.Act.class,
                p.defaultPrivileges("default privileges in template1", "pg_privilege", "template1", pigstyPrivileges(), CREATORS, parse(older)));
        assertEquals("default privileges in template1: 17 of 51 grants missing (for dbrole_admin)", a.summary());
        assertFalse(shown(a).contains("FOR ROLE \"postgres\""), shown(a));
    }

    @Test
    void a_grant_with_grant_option_needs_a_grantable_privilege() {
        List<DefaultPrivilege> grantable = List.of(DefaultPrivilege.parse("GRANT SELECT ON TABLES TO dbrole_readonly WITH GRANT OPTION"));
        Change.Act a = assertInstanceOf(Change.Act.class,
                p.defaultPrivileges("default privileges in test", "pg_privilege", "test", grantable, List.of("postgres"), parse(provisioned())));
        assertEquals("default privileges in test: 1 of 1 grants missing (for postgres)", a.summary());
    }

    @Test
    void scram_verifiers_match_their_password_only() {
        assertTrue(Passwords.matches(SCRAM_TEST, "test", "test"));
        assertFalse(Passwords.matches(SCRAM_TEST, "test", "Test"));
        assertTrue(Passwords.matches(Passwords.verifier("u", "pw", "scram-sha-256"), "u", "pw"));
        assertEquals("md505a671c66aefea124cc08b76ea6d30bb", Passwords.verifier("test", "test", "md5"));
    }

    @Test
    void reads_who_leads_from_patroni() {
        PatroniCluster.View v = new PatroniCluster("pg-test", TestPg.PATRONI, List.of("10.10.10.11"))
                .parse(Fixtures.read("pgsql/patroni-cluster.json"));
        assertTrue(v.answered());
        assertEquals("10.10.10.12", v.leader().orElseThrow().host());
        assertFalse(new PatroniCluster("pg-test", TestPg.PATRONI, List.of("10.10.10.11")).parse("").answered());
    }

    @Test
    void packages_follow_the_version() {
        assertEquals(List.of("postgresql-17", "postgresql-client-17", "patroni", "python3-etcd", "python3-psycopg2"), PgPackages.server(17));
        assertEquals("/usr/lib/postgresql/13/bin", PgPackages.binDir(13));
        assertEquals(List.of("postgresql-16-pgvector", "postgresql-16-repack", "postgresql-16-postgis-3"),
                new Extensions(List.of("postgresql-$v-pgvector", "postgresql-${pg_version}-repack", "postgis, postgis_topology",
                        "pg_trgm", "pg17-main"), 16).packageNames(), "catalog names, package names, contrib and bundles");
    }
}
