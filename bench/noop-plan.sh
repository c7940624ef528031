#!/usr/bin/env bash
# No-op plan benchmark on the 4-node sandbox: prints figures, asserts nothing. Needs root.
#  - round trips per host for a no-op plan (target: 1)
#  - wall time of './pig plan' on a converged sandbox, JVM start included (target: under 2 s)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
inv=inventory-examples/sandbox.yml
trap './pig sandbox down -i "$inv" >/dev/null 2>&1 || true' EXIT

./pig sandbox up -i "$inv" >/dev/null
./pig deploy -i "$inv" -y >/dev/null
./pig plan -i "$inv" --detailed-exitcode >/dev/null 2>&1 || { echo "the sandbox did not converge: see ./pig plan -i $inv" >&2; exit 1; }

times=()
for _ in 1 2 3 4 5; do
  s=$(date +%s%N)
  line=$(./pig plan -i "$inv" 2>&1 >/dev/null | grep '^Facts from')
  e=$(date +%s%N)
  times+=($(((e - s) / 1000000)))
done
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 3p)
echo "no-op plan on 4 sandbox nodes: median ${median} ms of 5 runs, JVM start included (target < 2000 ms)"
echo "last run: $line"
