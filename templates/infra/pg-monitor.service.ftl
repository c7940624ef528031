# PostgreSQL exporters of databases pig does not manage: managed by pig (pg_monitor), changes are overwritten
# one instance per 'pig pgsql monitor add NAME', reading /etc/pig/pg-monitor/NAME.env
[Unit]
Description=Prometheus metrics of the PostgreSQL %i, which pig does not manage
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
User=prometheus
EnvironmentFile=/etc/pig/pg-monitor/%i.env
ExecStart=/usr/bin/prometheus-postgres-exporter $ARGS
Restart=on-failure
RestartSec=5

[Install]
WantedBy=multi-user.target
