# managed by pig (blackbox): ICMP probes need a raw socket; the blackbox exporter re-reads its
# modules on SIGHUP
[Service]
AmbientCapabilities=CAP_NET_RAW
ExecReload=
ExecReload=/bin/kill -HUP $MAINPID
