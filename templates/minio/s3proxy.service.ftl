# s3proxy.service of ${minio_cluster}: managed by pig (minio_config)
# S3Proxy ${s3proxy_jar}: a single-node S3 endpoint on a filesystem store, not an erasure-coded cluster
[Unit]
Description=S3Proxy, the S3 endpoint of ${minio_cluster}
Wants=network-online.target
After=network-online.target

[Service]
Type=simple
User=${minio_user}
Group=${minio_user}
ExecStart=/usr/bin/java -Xms64m -Xmx512m -jar ${s3proxy_jar}<#list properties_files as f> --properties ${f}</#list>
Restart=on-failure
RestartSec=5
LimitNOFILE=65536
NoNewPrivileges=true

[Install]
WantedBy=multi-user.target
