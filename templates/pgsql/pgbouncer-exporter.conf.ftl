# prometheus-pgbouncer-exporter of ${name}: managed by pig (pgbouncer_exporter)
# it reads pgbouncer's admin console over the unix socket as the dbsu (peer authentication)
[Service]
Environment=HOST=${host} PORT=${port?c} PGBOUNCER_HOST=${socket_dir} PGBOUNCER_PORT=${pgbouncer_port?c} PGBOUNCER_USER=${dbsu}
Restart=on-failure
RestartSec=5
