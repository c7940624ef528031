#==============================================================#
# pgbackrest.conf of ${name} (${cluster}): managed by pig (pgbackrest_config)
# repository: pgbackrest_repo.${method}
#==============================================================#
[global]
<#list repo as k, v>
repo1-${k}=${v}
</#list>
log-path=${log_dir}
log-level-console=info
log-level-file=info
spool-path=${spool_dir}
start-fast=y
delta=y
compress-type=lz4
process-max=${process_max?c}

[${cluster}]
pg1-path=${data_dir}
pg1-port=${port?c}
pg1-socket-path=${socket_dir}
pg1-user=${dbsu}
