# pgbouncer_exporter of ${name}: managed by pig (pgbouncer_exporter)
[Unit]
Description=Prometheus metrics of PgBouncer on ${name}, port ${port?c}
After=pgbouncer.service

[Service]
Type=simple
User=${dbsu}
ExecStart=/usr/bin/python3 ${script}
Restart=on-failure
RestartSec=5

[Install]
WantedBy=multi-user.target
