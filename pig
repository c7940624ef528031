#!/usr/bin/env bash
# Runs pig from a clone: builds pigsty-cli/target/pig.jar on first use, or when a source, a
# template or a POM is newer than the jar, then runs it with the given arguments.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
jar="$root/pigsty-cli/target/pig.jar"
jsa="$root/pigsty-cli/target/pig.jsa"

stale() {
  [ ! -f "$jar" ] && return 0
  [ -n "$(find "$root/pom.xml" "$root"/pigsty-*/pom.xml "$root"/pigsty-*/src/main "$root/templates" \
          -newer "$jar" -type f -print -quit 2>/dev/null)" ]
}

if stale; then
  command -v mvn >/dev/null || { echo "pig: Maven is needed to build pig: apt-get install -y maven" >&2; exit 69; }
  echo "pig: building pig.jar (first run or sources changed) ..." >&2
  log="$(mktemp)"
  # offline first (fast, and works without a network after one online build), then online
  if ! (cd "$root" && mvn -q -B -o -DskipTests package >"$log" 2>&1) &&
     ! (cd "$root" && mvn -q -B -DskipTests package >"$log" 2>&1); then
    tail -n 40 "$log" >&2
    rm -f "$log"
    echo "pig: the build failed; the lines above say why (full log: cd $root && mvn -DskipTests package)" >&2
    exit 70
  fi
  rm -f "$log"
  rm -f "$jsa"
fi
# a class-data archive of pig's own classes, written by the first run after a build that plans,
# makes the JVM start faster; a stale or unwritable one is simply not used. Other runs (--version,
# help, facts, sandbox, ...) write none: they load a part of the classes, and every later run, a
# plan of 1,000 hosts included, would start with only those (0.3 s more)
light=1
for a in "$@"; do
  case "$a" in -*) continue ;; plan|apply|deploy|node|infra|etcd|minio|pgsql|redis) light=0 ;; esac
  break
done
for a in "$@"; do case "$a" in -h|--help|-V|--version) light=1 ;; esac; done
if [ "$jsa" -nt "$jar" ]; then cds="-XX:SharedArchiveFile=$jsa"
elif [ "$light" = 1 ]; then rm -f "$jsa"; cds="-Xshare:auto"
else rm -f "$jsa"; cds="-XX:ArchiveClassesAtExit=$jsa"; fi
exec java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto "$cds" -Xlog:cds=off -Xlog:cds+dynamic=off \
  ${PIG_JAVA_OPTS:-} -jar "$jar" "$@"
