# pgbackrest_exporter of ${pg_instance}: managed by pig (pgbackrest_exporter)
[Unit]
Description=Prometheus metrics of pgBackRest's repository of ${pg_instance}, port ${pgbackrest_exporter_port?c}
After=network.target

[Service]
Type=simple
User=${pg_dbsu}
ExecStart=/usr/bin/python3 ${script}
Restart=on-failure
RestartSec=5

[Install]
WantedBy=multi-user.target
