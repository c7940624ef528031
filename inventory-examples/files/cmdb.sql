--==============================================================--
-- cmdb.sql: baseline of the meta database on pg-meta
--
-- pig runs it once, in the database, right after creating it
-- (pg_databases: - { name: meta, baseline: cmdb.sql, schemas: [ pigsty ] }).
-- It holds the inventory as data, so the infrastructure can query
-- which clusters and instances exist, and what each one runs.
--==============================================================--

CREATE SCHEMA IF NOT EXISTS pigsty;
COMMENT ON SCHEMA pigsty IS 'the inventory: clusters, hosts and their instances';

-- one row per group of the inventory that forms a cluster
CREATE TABLE IF NOT EXISTS pigsty.cluster (
    name       text PRIMARY KEY,
    module     text NOT NULL CHECK (module IN ('infra', 'node', 'etcd', 'minio', 'pgsql', 'redis')),
    vars       jsonb NOT NULL DEFAULT '{}'::jsonb,
    comment    text,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE pigsty.cluster IS 'clusters of the inventory, with their group vars';

-- one row per host of the inventory
CREATE TABLE IF NOT EXISTS pigsty.host (
    ip         inet PRIMARY KEY,
    nodename   text UNIQUE,
    vars       jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE pigsty.host IS 'hosts of the inventory, with their host vars';

-- which host is which member of which cluster: pg-test-1 is seq 1 of pg-test on 10.10.10.11
CREATE TABLE IF NOT EXISTS pigsty.member (
    cluster text    NOT NULL REFERENCES pigsty.cluster (name) ON DELETE CASCADE,
    seq     integer NOT NULL CHECK (seq >= 0),
    ip      inet    NOT NULL REFERENCES pigsty.host (ip) ON DELETE CASCADE,
    role    text,
    PRIMARY KEY (cluster, seq),
    UNIQUE (cluster, ip)
);
COMMENT ON TABLE pigsty.member IS 'cluster membership: the seq and role of a host in a cluster';

CREATE OR REPLACE VIEW pigsty.instance AS
    SELECT m.cluster || '-' || m.seq AS name, m.cluster, c.module, m.seq, m.role, m.ip, h.nodename,
           c.vars || h.vars AS vars
    FROM pigsty.member m
    JOIN pigsty.cluster c ON c.name = m.cluster
    JOIN pigsty.host h ON h.ip = m.ip;
COMMENT ON VIEW pigsty.instance IS 'each member with its cluster and host, host vars over group vars';

CREATE OR REPLACE FUNCTION pigsty.touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;

CREATE TRIGGER cluster_touch BEFORE UPDATE ON pigsty.cluster FOR EACH ROW EXECUTE FUNCTION pigsty.touch();
CREATE TRIGGER host_touch BEFORE UPDATE ON pigsty.host FOR EACH ROW EXECUTE FUNCTION pigsty.touch();
