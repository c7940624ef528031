package dev.pig.modules.pgsql;

import dev.pig.core.model.Secret;
import dev.pig.modules.ModuleContext;
import dev.pig.modules.PlanningFixture;

/** The PostgreSQL and Patroni of the sandbox's pg-test, as the module's tests reach them. */
final class TestPg {
    static final Postgres PG = new Postgres("postgres", "/var/lib/pgsql", "/var/run/postgresql", 5432, "/usr/lib/postgresql/15/bin",
            "/pg/data");
    static final Patroni PATRONI = new Patroni(8008, "postgres", new Secret("Patroni.API"), 5, false);

    private TestPg() {
    }

    /** patroni.yml of {@code host} of the fixture's inventory on a node of {@code memMb} and {@code cpus}. */
    static String patroniYml(PlanningFixture f, String host, long memMb, int cpus) {
        ModuleContext ctx = f.ctx();
        PgNode pn = PgNode.of(ctx, f.node(host));
        dev.pig.modules.HostVars v = pn.v();
        PgTune tune = PgTune.of(v.str("pg_conf"), v.raw("pg_max_conn"), v.str("pg_default_service_dest"),
                v.number("pg_shared_buffer_ratio"), memMb, cpus, v.str("pg_storage_type"));
        return ctx.render("pgsql/patroni.yml.ftl", PatroniYml.of(pn).tuned(tune, memMb, cpus, v.dict("pg_parameters")));
    }

    static PgCatalog catalog() {
        return new PgCatalog("pg-test", PG);
    }
}
