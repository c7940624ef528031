# minio.service of ${minio_instance}: managed by pig (minio_config)
[Unit]
Description=MinIO, member ${minio_instance} of ${minio_cluster}
Wants=network-online.target
After=network-online.target

[Service]
Type=notify
User=${minio_user}
Group=${minio_user}
EnvironmentFile=/etc/default/minio
ExecStart=/usr/bin/minio server $MINIO_OPTS $MINIO_VOLUMES
Restart=always
RestartSec=5
LimitNOFILE=1048576
TimeoutStopSec=infinity
SendSIGKILL=no

[Install]
WantedBy=multi-user.target
