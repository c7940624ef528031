#!/bin/sh
# pg-role-change of ${pg_cluster}: managed by pig (pgbackrest_config)
# Patroni's on_role_change callback, called as: pg-role-change ACTION ROLE CLUSTER
# A member that becomes the primary readies its own repository (pgbackrest_method: local keeps one
# per member): the stanza, so WAL archiving goes on, and a first full backup when it holds none.
# Patroni calls it as the promotion starts: pg-backup waits for it to finish. It runs detached, so
# Patroni is not kept waiting and a later callback does not cut it short.
case "${r"${2:-}"}" in
    master|primary)
        setsid /pg/bin/pg-backup ${mode} --wait >>${sh(log_file)} 2>&1 </dev/null &
        ;;
esac
exit 0
