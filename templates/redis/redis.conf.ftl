# ${instance}: redis instance ${port?c} of ${redis_cluster}, node ${redis_node?c} (managed by pig: redis_config)
# redis-server reads this file and cannot write it (its unit keeps /etc read-only): settings change
# in the inventory, and pig applies them live with CONFIG SET or by a restart; CONFIG REWRITE fails
bind ${redis(bind)}
port ${port?c}
protected-mode no
daemonize no
supervised systemd
dir ${redis(dir)}
logfile ${redis(logfile)}
loglevel notice
tcp-keepalive 300
databases 16
maxmemory ${maxmemory}
maxmemory-policy ${redis(redis_mem_policy)}
<#if redis_rdb_save?has_content>
<#list redis_rdb_save as rule>
save ${rule}
</#list>
<#else>
save ""
</#if>
appendonly ${redis_aof_enabled?then("yes", "no")}
<#if redis_password?has_content>
requirepass ${redis(redis_password)}
masterauth ${redis(redis_password)}
</#if>
<#if replica_of?has_content>
replicaof ${replica_of}
</#if>
<#list redis_rename_commands as command, name>
rename-command ${redis(command)} ${redis(name)}
</#list>
<#if redis_mode == "cluster">
cluster-enabled yes
cluster-config-file nodes.conf
</#if>
