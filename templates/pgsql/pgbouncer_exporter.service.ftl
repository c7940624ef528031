# pgbouncer_exporter of ${pg_instance}: managed by pig (pgbouncer_exporter)
[Unit]
Description=Prometheus metrics of PgBouncer on ${pg_instance}, port ${pgbouncer_exporter_port?c}
After=pgbouncer.service

[Service]
Type=simple
User=${pg_dbsu}
ExecStart=/usr/bin/python3 ${script}
Restart=on-failure
RestartSec=5

[Install]
WantedBy=multi-user.target
