# vmalert of ${infra_name}: managed by pig (vmalert), changes are overwritten
[Unit]
Description=vmalert: pig's recording and alerting rules over VictoriaMetrics
After=network-online.target victoria-metrics.service
Wants=network-online.target

[Service]
Type=simple
User=${user}
EnvironmentFile=${defaults}
ExecStart=/usr/bin/vmalert $ARGS
ExecReload=/bin/kill -HUP $MAINPID
Restart=on-failure
RestartSec=5

[Install]
WantedBy=multi-user.target
