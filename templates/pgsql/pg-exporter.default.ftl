# prometheus-postgres-exporter of ${pg_instance}: managed by pig (pg_exporter)
DATA_SOURCE_NAME=${env(data_source_name)}
ARGS=${env(exporter_args)}
