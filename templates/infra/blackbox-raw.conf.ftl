# managed by pig (blackbox): ICMP probes need a raw socket. Debian's package gives the binary
# that capability as a file capability only when its debconf question says so (the default is an
# empty set), and a file with capabilities of its own drops any AmbientCapabilities at exec: the
# binary gets cap_net_raw before each start, as the package does when asked, so an upgrade that
# resets it is undone by the restart that follows. The exporter re-reads its modules on SIGHUP.
[Service]
ExecStartPre=+/usr/sbin/setcap cap_net_raw=ep /usr/bin/prometheus-blackbox-exporter
ExecReload=
ExecReload=/bin/kill -HUP $MAINPID
