# vip-manager of ${name}: managed by pig (pg_vip)
[Unit]
Description=vip-manager: the virtual IP of ${cluster} on its leader
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
ExecStart=/usr/bin/vip-manager --config=${config}
Restart=on-failure
RestartSec=1

[Install]
WantedBy=multi-user.target
