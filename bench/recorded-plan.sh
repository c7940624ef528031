#!/usr/bin/env bash
# Planning from recorded facts: a NODE plan of N hosts made by 'pig plan --facts FILE', reaching
# no host; prints wall time, pig's CPU, peak memory and the facts file's size. Asserts nothing.
#
#   bench/recorded-plan.sh            # N = 1000
#   bench/recorded-plan.sh 100 1000   # chosen N
#
# The facts are this machine's, recorded once through the local transport (the facts script only
# reads), then copied to N loopback addresses the plan never reaches: what pig costs to plan N
# hosts from a recording, not what N hosts cost to ask.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install time" >&2; exit 69; }
command -v python3 >/dev/null || { echo "needs python3" >&2; exit 69; }
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000)

work=$(mktemp -d /tmp/pig-recorded.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/home/.pig"
run() { env HOME="$work/home" PIG_JAVA_OPTS="-Duser.home=$work/home" "$root/pig" "$@"; }

# the loopback address of host i: 127.0.1.1 ... 127.0.1.254, 127.0.2.1 ...
addr() { echo "127.0.$((1 + ($1 - 1) / 254)).$((1 + ($1 - 1) % 254))"; }

inventory() {
  local n=$1 connection=$2 f=$work/inv-$1-$2.yml
  {
    echo "all:"
    echo "  children:"
    echo "    nodes:"
    echo "      hosts:"
    for i in $(seq "$n"); do echo "        $(addr "$i"): {}"; done
    echo "  vars:"
    echo "    ansible_connection: $connection"
    echo "    node_write_etc_hosts: false"
  } > "$f"
  echo "$f"
}

run --version >/dev/null
run facts -i "$(inventory 1 local)" -t node -o "$work/one.json" >/dev/null
# a first plan after a build writes pig's class-data archive (see ./pig): one host's, untimed
run plan -i "$(inventory 1 local)" -t node --facts "$work/one.json" >/dev/null 2>&1 || true

printf '%-6s %10s %12s %12s %12s %s\n' N "wall s" "pig CPU s" "peak MB" "facts MB" "result"
for n in "${sizes[@]}"; do
  python3 - "$work/one.json" "$work/facts-$n.json" "$n" <<'PY'
import json, sys
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
d = json.load(open(src))
one = d["hosts"][0]
addr = lambda i: "127.0.%d.%d" % (1 + (i - 1) // 254, 1 + (i - 1) % 254)
d["hosts"] = [dict(one, host=addr(i)) for i in range(1, n + 1)]
json.dump(d, open(dst, "w"))
PY
  inv=$(inventory "$n" ssh)
  /usr/bin/time -f '%e %U %S %M' -o "$work/time" \
    env HOME="$work/home" PIG_JAVA_OPTS="-Duser.home=$work/home" "$root/pig" plan -i "$inv" -t node --facts "$work/facts-$n.json" \
    >"$work/out" 2>"$work/err" || { echo "N=$n: pig exited $?: $(tail -3 "$work/err")" >&2; }
  read -r wall user sys rss < <(tail -1 "$work/time")
  size=$(echo "scale=1; $(stat -c %s "$work/facts-$n.json") / 1048576" | bc)
  printf "%-6s %10s %12s %12s %12s %s\n" "$n" "$wall" "$(echo "$user + $sys" | bc)" "$((rss / 1024))" "$size" "$(tail -1 "$work/out")"
  grep -m1 "Planned from" "$work/err" || true
done
