#==============================================================#
# pgbackrest.conf of ${pg_instance} (${pg_cluster}): managed by pig (pgbackrest_config)
# repository: pgbackrest_repo.${pgbackrest_method}
#==============================================================#
[global]
<#list pgbackrest_repo as k, v>
repo1-${k}=${v}
</#list>
log-path=${pgbackrest_log_dir}
log-level-console=info
log-level-file=info
spool-path=${spool_path}
start-fast=y
delta=y
compress-type=lz4
process-max=${process_max?c}

[${pg_cluster}]
pg1-path=${pg_data}
pg1-port=${pg_port?c}
pg1-socket-path=${pg_localhost}
pg1-user=${pg_dbsu}
