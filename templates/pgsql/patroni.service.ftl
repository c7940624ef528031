# patroni of ${name}: managed by pig
[Unit]
Description=Patroni: PostgreSQL ${cluster} with high availability
Documentation=https://patroni.readthedocs.io/
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
User=${dbsu}
Group=${dbsu}
ExecStart=/usr/bin/patroni /etc/patroni/patroni.yml
ExecReload=/bin/kill -s HUP $MAINPID
KillMode=process
TimeoutSec=60
Restart=on-failure
RestartSec=5
LimitNOFILE=16384

[Install]
WantedBy=multi-user.target
