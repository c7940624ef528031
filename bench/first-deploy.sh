#!/usr/bin/env bash
# First deploy against the apt floor, on the 4-node sandbox: prints figures, asserts nothing.
# Needs root and the sandbox's host packages ('pig sandbox up --install-deps').
#
#   bench/first-deploy.sh
#
# 1. pig: fresh node disks, then 'pig deploy' of inventory-examples/sandbox.yml, timed.
# 2. the floor: fresh node disks again, then on every node at once what no provisioner can go
#    below: one apt transaction of exactly the packages pig installed there (read from its plan),
#    and on the PostgreSQL nodes an initdb and a first start of the server.
# Prints both and their ratio (target: pig within 1.3x of the floor).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
[ "$(id -u)" = 0 ] || { echo "first-deploy.sh needs root (the sandbox does)" >&2; exit 69; }
inv=inventory-examples/sandbox.yml
work=$(mktemp -d /tmp/pig-first-deploy.XXXXXX)
trap './pig sandbox down -i "$inv" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
key=$HOME/.pig/sandbox/id_ed25519
ssh_node() { ssh -q -i "$key" -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o BatchMode=yes "root@$1" "$2"; }

./pig sandbox up -i "$inv" --fresh >/dev/null
./pig plan -i "$inv" --json > "$work/plan.json" 2>/dev/null || true
s=$(date +%s%N)
./pig deploy -i "$inv" -y > "$work/deploy.out" 2>&1 || { tail -20 "$work/deploy.out" >&2; exit 1; }
e=$(date +%s%N)
pig_ms=$(((e - s) / 1000000))

# the packages each host's plan installs: the summaries "install a b c" of its package tasks
python3 - "$work/plan.json" "$work" <<'PY'
import json, sys, re
plan = json.load(open(sys.argv[1]))
for h in plan["hosts"]:
    pkgs = []
    for c in h.get("changes", []):
        m = re.match(r"install (.*?)(; first: .*)?( \(pg_extensions\))?$", c.get("summary", ""))
        if m and c.get("action") in ("+", "CREATE", "create"):
            pkgs += [p for p in m.group(1).split() if p not in pkgs]
    open("%s/pkgs-%s" % (sys.argv[2], h["host"]), "w").write(" ".join(pkgs))
PY

./pig sandbox up -i "$inv" --fresh >/dev/null
proxy="-o Acquire::http::Proxy=http://10.10.10.1:8888 -o Acquire::https::Proxy=http://10.10.10.1:8888"
s=$(date +%s%N)
pids=()
for f in "$work"/pkgs-*; do
  host=${f##*/pkgs-}
  pkgs=$(cat "$f")
  [ -n "$pkgs" ] || continue
  (
    t0=$(date +%s%N)
    ssh_node "$host" "export DEBIAN_FRONTEND=noninteractive; printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d;
      apt-get update -q $proxy >/dev/null && apt-get install -y -q --no-install-recommends $proxy $pkgs >/dev/null; rc=\$?; rm -f /usr/sbin/policy-rc.d; exit \$rc"
    t1=$(date +%s%N)
    boot=0
    if ssh_node "$host" "test -x /usr/lib/postgresql/15/bin/initdb"; then
      ssh_node "$host" "install -d -o postgres -g postgres /tmp/floor && cd /tmp && su -s /bin/sh postgres -c '/usr/lib/postgresql/15/bin/initdb -D /tmp/floor/data -A trust >/dev/null && /usr/lib/postgresql/15/bin/pg_ctl -D /tmp/floor/data -o \"-p 5499 -k /tmp/floor\" -w start >/dev/null'" || true
    fi
    t2=$(date +%s%N)
    echo "$host $(( (t1 - t0) / 1000000 )) $(( (t2 - t1) / 1000000 ))" > "$work/floor-$host"
  ) &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
e=$(date +%s%N)
floor_ms=$(((e - s) / 1000000))

echo "host          apt ms   initdb+start ms   packages"
for f in "$work"/floor-*; do
  read -r host apt boot < "$f"
  printf '%-12s %8s %17s   %s\n' "$host" "$apt" "$boot" "$(wc -w < "$work/pkgs-$host")"
done
printf 'pig deploy of the fresh sandbox: %.1f s\n' "$(echo "$pig_ms / 1000" | bc -l)"
printf 'apt floor (every node at once):  %.1f s\n' "$(echo "$floor_ms / 1000" | bc -l)"
printf 'ratio: %.2f (target <= 1.30)\n' "$(echo "$pig_ms / $floor_ms" | bc -l)"
