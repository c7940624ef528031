#!/usr/bin/env bash
# Inventory benchmark: prints figures, asserts nothing.
#  - in-process load + validation of a generated 1,000-host inventory (target: well under 1 s)
#  - './pig inventory validate' wall time for a 900-host file vs a 1-host file (target: <= 1.5x)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# gen N FILE: one etcd member, N hosts in clusters of 3 (primary + 2 replicas) with a user and a db each
gen() {
  local n=$1 out=$2
  {
    echo "all:"
    echo "  children:"
    echo "    etcd:"
    echo "      hosts: { 10.0.0.1: { etcd_seq: 1 } }"
    echo "      vars: { etcd_cluster: etcd }"
    for ((i = 0; i < n; i++)); do
      c=$((i / 3)); s=$((i % 3 + 1))
      if ((s == 1)); then
        echo "    pg-c$c:"
        echo "      vars:"
        echo "        pg_cluster: pg-c$c"
        echo "        pg_users: [ { name: app$c, password: pw$c, pgbouncer: true, roles: [ dbrole_readwrite ] } ]"
        echo "        pg_databases: [ { name: db$c, owner: app$c } ]"
        echo "      hosts:"
      fi
      role=replica; ((s == 1)) && role=primary
      echo "        10.$((i / 65536 % 256 + 1)).$((i / 256 % 256)).$((i % 256)): { pg_seq: $s, pg_role: $role }"
    done
    echo "  vars:"
    echo "    admin_ip: 10.0.0.1"
    echo "    pg_version: 15"
  } >"$out"
}

gen 1000 "$tmp/h1000.yml"
gen 900 "$tmp/h900.yml"
gen 1 "$tmp/h1.yml"

./pig --version >/dev/null # builds the jar when needed
mvn -q -B -o test-compile -pl pigsty-cli -am >/dev/null 2>&1 || mvn -q -B test-compile -pl pigsty-cli -am >/dev/null
cp="pigsty-cli/target/pig.jar:pigsty-cli/target/test-classes"
java -cp "$cp" dev.pig.cli.InventoryBench "$tmp/h1000.yml" 10

wall() { # median of 5 runs of ./pig inventory validate, in ms
  local f=$1 t=()
  for _ in 1 2 3 4 5; do
    local s e
    s=$(date +%s%N)
    ./pig inventory validate -i "$f" >/dev/null 2>&1
    e=$(date +%s%N)
    t+=($(((e - s) / 1000000)))
  done
  printf '%s\n' "${t[@]}" | sort -n | sed -n 3p
}
one=$(wall "$tmp/h1.yml")
nine=$(wall "$tmp/h900.yml")
echo "./pig inventory validate: 1 host ${one} ms, 900 hosts ${nine} ms, ratio $(awk "BEGIN { printf \"%.2f\", $nine / $one }") (target <= 1.5)"
