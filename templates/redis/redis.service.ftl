# redis@.service: the ${sentinel?then("sentinels", "instances")} of ${redis_cluster} on this node, one per port (managed by pig: redis_config)
# redis@<cluster>-<node>-<port>.service runs /etc/redis/<cluster>-<node>-<port>.conf
[Unit]
Description=Redis ${sentinel?then("sentinel", "instance")} %i
Documentation=https://redis.io/docs/
After=network-online.target
Wants=network-online.target
AssertPathExists=/etc/redis/%i.conf

[Service]
Type=notify
ExecStart=${sentinel?then("/usr/bin/redis-sentinel", "/usr/bin/redis-server")} /etc/redis/%i.conf --daemonize no --supervised systemd
User=redis
Group=redis
WorkingDirectory=${data_root}/%i
UMask=0077
LimitNOFILE=10032
TimeoutStartSec=60
TimeoutStopSec=60
Restart=on-failure
<#if restart_after gt 1>
# sentinels watch these instances: a crashed master comes back only after they could fail it over
</#if>
RestartSec=${restart_after?c}s
# <#if sentinel>a sentinel rewrites its own file: /etc/redis stays writable<#else>pig's file is the config: redis-server cannot rewrite it</#if>
ProtectSystem=strict
ReadWritePaths=${data_root}/%i /var/log/redis<#if sentinel> /etc/redis</#if>

[Install]
WantedBy=multi-user.target
