#!/bin/sh
# pg-backup of ${pg_cluster}: managed by pig (pgbackrest_config)
# pg-backup [full|diff|incr]: a pgBackRest backup of this instance when it is the primary, and
# nothing elsewhere, so every member can carry the same pg_crontab line and failovers need no edit
# pg-backup stanza: the stanza in this member's repository; it fails unless this is the primary
# pg-backup init:   the stanza, then a full backup unless the repository holds one or a backup runs
# pg-backup stanza|init --wait: the same, once a promotion under way is done (a minute at most)
STANZA=${sh(pg_cluster)}
SOCKET=${sh(pg_localhost)}
PORT=${pg_port?c}
DBSU=${sh(pg_dbsu)}
<#noparse>
set -eu
mode=backup
type=""
wait=0
case "${1:-}" in
    full|diff|incr) type="--type=$1" ;;
    stanza|init) mode=$1; [ "${2:-}" = --wait ] && wait=60 ;;
    "") ;;
    *) echo "usage: pg-backup [full|diff|incr|stanza|init [--wait]]" >&2; exit 64 ;;
esac
if [ "$(id -un)" != "$DBSU" ]; then
    echo "pg-backup runs as $DBSU" >&2
    exit 1
fi
[ "$mode" = backup ] || echo "pg-backup $mode of $STANZA: $(date -u '+%F %T') UTC"
while :; do
    recovery=$(psql -h "$SOCKET" -p "$PORT" -d postgres -AtXq -c 'SELECT pg_is_in_recovery()' || true)
    [ "$recovery" = f ] && break
    if [ "$wait" -le 0 ] && [ "$mode" = backup ]; then
        echo "pg-backup: this instance is not the primary; nothing to do"
        exit 0
    elif [ "$wait" -le 0 ]; then
        echo "pg-backup: this instance is not the primary: its repository is made on the primary" >&2
        exit 1
    fi
    wait=$((wait - 1))
    sleep 1
done
# a primary promoted a moment ago writes WAL on its new timeline before the checkpoint that puts
# it in pg_control, which pgBackRest refuses ("WAL timeline N does not match pg_control
# timeline M"): a checkpoint now, and the backup once pg_control has the timeline (30 s at most)
tries=0
while :; do
    same=$(psql -h "$SOCKET" -p "$PORT" -d postgres -AtXq -c "SELECT lpad(upper(to_hex(timeline_id)), 8, '0') = substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8) FROM pg_control_checkpoint()" || true)
    [ "$same" = t ] && break
    if [ "$tries" -ge 30 ]; then
        echo "pg-backup: pg_control still has an older timeline than the WAL after 30 s" >&2
        break
    fi
    [ "$tries" -eq 0 ] && psql -h "$SOCKET" -p "$PORT" -d postgres -AtXq -c CHECKPOINT >/dev/null || true
    tries=$((tries + 1))
    sleep 1
done
# one at a time: a deploy, Patroni's role-change callback, pg_crontab and a backup by hand may
# all ask, and pgBackRest refuses a backup while a stanza-create holds its lock (the lock is held
# by pgBackRest itself through fd 9 while it backs up); the lock file lives in the socket
# directory, which only the dbsu and its group can write and which a reboot empties
exec 9>>"$SOCKET/.pg-backup-$STANZA.lock"
flock 9
if [ "$mode" = backup ]; then
    exec pgbackrest --stanza="$STANZA" $type backup
fi
pgbackrest --stanza="$STANZA" stanza-create
[ "$mode" = init ] || exit 0
info=$(pgbackrest --stanza="$STANZA" --output=json info)
case "$info" in
    *'"held":true'*) echo "pg-backup: a backup of $STANZA runs already"; exit 0 ;;
    *'"backup":[]'*) exec pgbackrest --stanza="$STANZA" --type=full backup ;;
    *) echo "pg-backup: the repository of $STANZA holds a backup already" ;;
esac
</#noparse>
