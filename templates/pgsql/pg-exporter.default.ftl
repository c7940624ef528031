# prometheus-postgres-exporter of ${name}: managed by pig (pg_exporter)
DATA_SOURCE_NAME='${dsn}'
ARGS='${args}'
