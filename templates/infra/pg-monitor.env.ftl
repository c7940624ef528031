# exporter of ${name}: managed by pig (pg_monitor), changes are overwritten
DATA_SOURCE_NAME=${env(data_source_name)}
ARGS=${env(args)}
