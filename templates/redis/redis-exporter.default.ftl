# prometheus-redis-exporter of ${redis_cluster} on ${ip}: one for every instance of the node (managed by pig: redis_exporter)
# Prometheus scrapes each instance through /scrape?target=redis://${ip}:<port>
ARGS=${env(args)}
REDIS_ADDR=${env(redis_addr)}
<#if redis_password?has_content>
REDIS_PASSWORD=${env(redis_password)}
</#if>
