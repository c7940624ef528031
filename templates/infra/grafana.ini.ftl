# Grafana of ${infra_name}: managed by pig (grafana), changes are overwritten
[server]
http_port = ${grafana_port?c}

[security]
admin_user = ${ini(grafana_admin_username)}
admin_password = ${ini(grafana_admin_password)}

[paths]
provisioning = /etc/grafana/provisioning

[analytics]
reporting_enabled = false
check_for_updates = false
