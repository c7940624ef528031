# managed by pig: ${what} on SIGHUP, so a changed configuration reloads instead of restarting
[Service]
ExecReload=/bin/kill -HUP $MAINPID
