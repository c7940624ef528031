# queries of prometheus-postgres-exporter on ${pg_instance}: managed by pig (pg_exporter), changes are overwritten
# pig's additions to the exporter's built-in metrics, which its rules and dashboards read; named
# pig_* so that no exporter release's own collectors (0.17 has pg_replication_* and
# pg_stat_user_tables_*) emit the same names, which fails the whole scrape
<#noparse>
# pig_replication_is_replica, pig_replication_lag: a replica's replay delay in seconds, 0 while it
# has replayed all it received (an idle primary sends nothing to catch up with)
pig_replication:
  query: |
    SELECT pg_is_in_recovery()::int AS is_replica,
           CASE WHEN NOT pg_is_in_recovery() THEN 0
                WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
                ELSE GREATEST(0, EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())) END AS lag
  master: true
  metrics:
    - is_replica:
        usage: GAUGE
        description: 1 on a replica, 0 on a primary
    - lag:
        usage: GAUGE
        description: seconds the replica's replay is behind the WAL it received

# pig_wal_lsn_bytes: the WAL position written (primary) or replayed (replica), for WAL rates
pig_wal:
  query: |
    SELECT (CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END - '0/0'::pg_lsn)::float8 AS lsn_bytes
  master: true
  metrics:
    - lsn_bytes:
        usage: COUNTER
        description: WAL position in bytes

# pig_postmaster_start_time_seconds
pig_postmaster:
  query: SELECT EXTRACT(EPOCH FROM pg_postmaster_start_time()) AS start_time_seconds
  master: true
  metrics:
    - start_time_seconds:
        usage: GAUGE
        description: when PostgreSQL started, as a Unix time

# pig_database_xid_age: transactions since each database was last frozen (wraparound at 2^31)
pig_database_xid:
  query: SELECT datname, age(datfrozenxid)::float8 AS age FROM pg_database WHERE datallowconn
  master: true
  metrics:
    - datname:
        usage: LABEL
        description: database
    - age:
        usage: GAUGE
        description: age of the database's oldest unfrozen transaction id

# pig_stat_user_tables_*: activity of each user table, in every database the exporter discovers
pig_stat_user_tables:
  query: |
    SELECT current_database() AS datname, schemaname, relname,
           seq_scan, COALESCE(idx_scan, 0) AS idx_scan, n_tup_ins, n_tup_upd, n_tup_del, n_tup_hot_upd,
           n_live_tup, n_dead_tup, vacuum_count + autovacuum_count AS vacuum_count, analyze_count + autoanalyze_count AS analyze_count
    FROM pg_stat_user_tables
  metrics:
    - datname: { usage: LABEL, description: database }
    - schemaname: { usage: LABEL, description: schema }
    - relname: { usage: LABEL, description: table }
    - seq_scan: { usage: COUNTER, description: sequential scans }
    - idx_scan: { usage: COUNTER, description: index scans }
    - n_tup_ins: { usage: COUNTER, description: rows inserted }
    - n_tup_upd: { usage: COUNTER, description: rows updated }
    - n_tup_del: { usage: COUNTER, description: rows deleted }
    - n_tup_hot_upd: { usage: COUNTER, description: rows updated in place (HOT) }
    - n_live_tup: { usage: GAUGE, description: estimated live rows }
    - n_dead_tup: { usage: GAUGE, description: estimated dead rows }
    - vacuum_count: { usage: COUNTER, description: vacuums, manual and automatic }
    - analyze_count: { usage: COUNTER, description: analyzes, manual and automatic }
</#noparse>
