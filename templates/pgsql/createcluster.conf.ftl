# postgresql-common: managed by pig
# Patroni creates and runs the clusters of this host; the package makes none of its own.
create_main_cluster = false
