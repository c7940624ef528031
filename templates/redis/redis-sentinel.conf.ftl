# ${instance}: sentinel ${port?c} of ${redis_cluster}, node ${redis_node?c} (written once by pig: redis_config)
# the sentinel rewrites this file with what it learns (masters, replicas, other sentinels, epochs):
# pig writes it only when it is missing, and changes the masters it watches with SENTINEL commands
bind ${redis(bind)}
port ${port?c}
protected-mode no
daemonize no
supervised systemd
dir ${redis(dir)}
logfile ${redis(logfile)}
<#if redis_password?has_content>
requirepass ${redis(redis_password)}
</#if>
sentinel resolve-hostnames no
sentinel announce-hostnames no
sentinel deny-scripts-reconfig yes
