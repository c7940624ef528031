# haproxy base configuration: managed by pig (haproxy); services are /etc/haproxy/<service>.cfg
global
    log /dev/log local0
    # no global maxconn: haproxy sizes it from the open-file limit its unit grants
    user haproxy
    group haproxy
    hard-stop-after 30s

defaults
    mode tcp
    log global
    option dontlognull
    retries 3
    timeout connect 3s
    timeout client ${client_timeout}
    timeout server ${server_timeout}
    timeout check 3s
    timeout queue 3s

# admin page on / and Prometheus metrics on /metrics
listen admin
    bind *:${port}
    mode http
    http-request use-service prometheus-exporter if { path /metrics }
    stats enable
    stats uri /
    stats refresh 10s
<#if auth>
    stats auth ${haproxy(username + ":" + password)}
    stats admin if TRUE
</#if>
