# transparent huge pages: managed by pig (node_tune: ${profile}); systemd-tmpfiles writes it at boot
w ${path} - - - - never
