# transparent huge pages: managed by pig (node_tune: ${node_tune}); systemd-tmpfiles writes it at boot
w ${thp_path} - - - - never
