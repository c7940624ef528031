#!/bin/sh
# pg-backup of ${cluster}: managed by pig (pgbackrest_config)
# pg-backup [full|diff|incr]: a pgBackRest backup of this instance when it is the primary, and
# nothing elsewhere, so every member can carry the same pg_crontab line and failovers need no edit
STANZA='${cluster}'
SOCKET='${socket_dir}'
PORT='${port?c}'
DBSU='${dbsu}'
<#noparse>
set -eu
case "${1:-}" in
    full|diff|incr) type="--type=$1" ;;
    "") type="" ;;
    *) echo "usage: pg-backup [full|diff|incr]" >&2; exit 64 ;;
esac
if [ "$(id -un)" != "$DBSU" ]; then
    echo "pg-backup runs as $DBSU" >&2
    exit 1
fi
recovery=$(psql -h "$SOCKET" -p "$PORT" -d postgres -AtXq -c 'SELECT pg_is_in_recovery()')
if [ "$recovery" != f ]; then
    echo "pg-backup: this instance is not the primary; nothing to do"
    exit 0
fi
exec pgbackrest --stanza="$STANZA" $type backup
</#noparse>
