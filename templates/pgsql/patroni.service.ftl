# patroni of ${pg_instance}: managed by pig
[Unit]
Description=Patroni: PostgreSQL ${pg_cluster} with high availability
Documentation=https://patroni.readthedocs.io/
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
User=${pg_dbsu}
Group=${pg_dbsu}
<#if patroni_watchdog_mode != "off">
# patroni_watchdog_mode ${patroni_watchdog_mode}: the softdog module when the machine has no watchdog,
# and the device given to the dbsu (a failure here is Patroni's to report)
ExecStartPre=-+/sbin/modprobe softdog
ExecStartPre=-+/bin/chown ${pg_dbsu} /dev/watchdog
</#if>
ExecStart=/usr/bin/patroni /etc/patroni/patroni.yml
ExecReload=/bin/kill -s HUP $MAINPID
# stopping Patroni stops PostgreSQL itself, cleanly; only Patroni is signalled, so a Patroni
# that dies leaves PostgreSQL running rather than killed mid-write
KillMode=process
TimeoutSec=60
# restarted when it dies: a PostgreSQL left without its Patroni renews no leader key, and a
# primary whose lease ran out is demoted only by a Patroni that runs again
Restart=on-failure
RestartSec=5
LimitNOFILE=16384
# the kernel's OOM killer spares Patroni and the postmaster; each backend resets itself to 0,
# so a runaway query is what gets killed (PostgreSQL reads PG_OOM_ADJUST_* when it forks)
OOMScoreAdjust=-1000
Environment=PG_OOM_ADJUST_FILE=/proc/self/oom_score_adj
Environment=PG_OOM_ADJUST_VALUE=0

[Install]
WantedBy=multi-user.target
