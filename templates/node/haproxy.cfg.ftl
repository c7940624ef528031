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
    timeout client ${haproxy_client_timeout}
    timeout server ${haproxy_server_timeout}
    timeout check 3s
    timeout queue 3s

# admin page on / and Prometheus metrics on /metrics
listen admin
    bind *:${haproxy_exporter_port}
    mode http
    http-request use-service prometheus-exporter if { path /metrics }
    stats enable
    stats uri /
    stats refresh 10s
<#if haproxy_auth_enabled>
    stats auth ${haproxy(haproxy_admin_username + ":" + haproxy_admin_password)}
    stats admin if TRUE
</#if>
