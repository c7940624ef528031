# haproxy: managed by pig (haproxy); every *.cfg of the directory is loaded, services drop theirs in
CONFIG="${config_dir}"
