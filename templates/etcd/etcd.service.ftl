# etcd member ${etcd_instance}: managed by pig
[Unit]
Description=etcd key-value store (member ${etcd_instance} of ${etcd_cluster})
Documentation=https://etcd.io/docs/
After=network-online.target
Wants=network-online.target

[Service]
Type=notify
User=etcd
Group=etcd
Environment=ETCD_UNSUPPORTED_ARCH=
ExecStart=/usr/bin/etcd --config-file /etc/etcd/etcd.conf
Restart=on-failure
RestartSec=5
LimitNOFILE=65536
TimeoutStartSec=120

[Install]
WantedBy=multi-user.target
