#!/usr/bin/env bash
# YAML limits benchmark: prints figures, asserts nothing.
#  - in-process parse time for growing inventories, long values and long lists (linear: the
#    time grows like the size)
#  - './pig inventory validate' on hostile files: 10,000 levels of nesting, a 5 MB value, 3
#    million values in 6 MB, a 50 MB value, a 50 MB file; each must be refused with exit 65 in
#    well under 2 s
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

./pig --version >/dev/null # builds the jar when needed
mvn -q -B -o test-compile -pl pigsty-core >/dev/null 2>&1 || mvn -q -B test-compile -pl pigsty-core >/dev/null
java -cp "pigsty-cli/target/pig.jar:pigsty-core/target/test-classes" dev.pig.core.inventory.YamlBench

python3 - "$tmp" <<'PY'
import sys
d = sys.argv[1]
open(f"{d}/deep.yml", "w").write("all:\n  vars:\n    x: " + "[" * 10000 + "]" * 10000 + "\n")
open(f"{d}/value-5mb.yml", "w").write("all:\n  vars:\n    x: '" + "a" * 5_000_000 + "'\n")
open(f"{d}/value-50mb.yml", "w").write("all:\n  vars:\n    x: '" + "a" * 50_000_000 + "'\n")
with open(f"{d}/values-6mb.yml", "w") as f:
    f.write("all:\n  vars:\n    y: [" + ",".join(["v"] * 3_000_000) + "]\n")
with open(f"{d}/file-50mb.yml", "w") as f:
    f.write("all:\n  vars:\n")
    i = 0
    while f.tell() < 50_000_000:
        f.write(f"    k{i}: value{i}\n")
        i += 1
PY
for f in deep value-5mb values-6mb value-50mb file-50mb; do
  s=$(date +%s%N)
  set +e
  ./pig inventory validate -i "$tmp/$f.yml" >"$tmp/out" 2>&1
  rc=$?
  set -e
  e=$(date +%s%N)
  printf './pig inventory validate %-16s exit %d in %5d ms: %s\n' "$f.yml" "$rc" $(((e - s) / 1000000)) "$(head -n 1 "$tmp/out")"
done
