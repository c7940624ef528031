# pig facts: everything a plan needs from one host, in one round trip.
# pig prepends PIG_PACKAGES, PIG_UNITS, PIG_FILES, PIG_USERS, PIG_GROUPS, PIG_SYSCTLS and PIG_CHECKS, each a
# newline-separated list (a PIG_FILES line is "c PATH" when the content is wanted, "- PATH"
# otherwise), and the modules' sections: a function each, and pig_modules, which calls "$1" with
# the number, name and function of each. Every section starts with "@@pig:section NAME"; pig
# appends "@@pig:end", so a truncated answer is detected.
export LC_ALL=C
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH

# with PIG_TIMING set (pig facts --timing), each section's end is timed: the wall clock and the
# CPU of the script and its children, read with the shell's own 'times' (no fork) and 'date'
pig_times=""
pig_current=start
pig_mark() {
  [ "$pig_current" != end ] || return 0
  # 'times' runs in this shell (a subshell would report its own, empty, times) and writes to a
  # file of the script's; 'read' takes it back without a fork. Without a file, no CPU figures
  # (a failed redirection of the 'times' builtin itself would end the script)
  [ -n "${pig_tf:-}" ] || pig_tf=$(mktemp 2>/dev/null) || pig_tf=none
  pig_u=0m0s pig_s=0m0s pig_cu=0m0s pig_cs=0m0s
  [ "$pig_tf" = none ] || { { times; } > "$pig_tf" && { read -r pig_u pig_s; read -r pig_cu pig_cs; } < "$pig_tf"; } 2>/dev/null
  pig_times="$pig_times$pig_current $(date +%s%N) $pig_u $pig_s $pig_cu $pig_cs
"
  pig_current=$1
  [ "$1" != end ] || [ "$pig_tf" = none ] || rm -f "$pig_tf"
}
section() { [ -z "${PIG_TIMING:-}" ] || pig_mark "$1"; printf '@@pig:section %s\n' "$1"; }

# calls "$2" once for every non-empty line of "$1"
each() {
  printf '%s\n' "$1" | while IFS= read -r pig_item; do
    [ -n "$pig_item" ] && "$2" "$pig_item"
  done
  return 0
}

# The guard checks and the modules' sections are the slow part: each may start psql, etcdctl or
# curl and wait for its answer. They start here as background jobs, each answering into a file
# of its own, while the sections below run, and are printed in request order once all are done.
# Without a private directory for those files they run one after another where they are printed.
check_q() { ( eval "$1" ) </dev/null >/dev/null 2>&1; echo "$?"; }
# what a module's section function printed, with a final newline (curl or pgbackrest's JSON print
# none, which would hide the next marker), or nothing
pig_section_out() {
  pig_section=$("$1" </dev/null 2>/dev/null)
  [ -z "$pig_section" ] || printf '%s\n' "$pig_section"
}
pig_module() { printf '@@pig:section %s\n' "$1"; pig_section_out "$2"; }
# FILE LABEL COMMAND...: runs COMMAND in the background, its output into FILE of $pig_jobs; with
# PIG_TIMING also the job's own wall clock and CPU ('times' of the job's subshell) into FILE.t
pig_job() {
  pig_f=$1 pig_l=$2
  shift 2
  (
    [ -z "${PIG_TIMING:-}" ] || pig_t0=$(date +%s%N)
    "$@" > "$pig_jobs/$pig_f"
    if [ -n "${PIG_TIMING:-}" ]; then
      { times; } > "$pig_jobs/$pig_f.times"
      { read -r pig_u pig_s; read -r pig_cu pig_cs; } < "$pig_jobs/$pig_f.times"
      printf '@job %s %s %s %s %s %s %s\n' "$pig_l" "$pig_t0" "$(date +%s%N)" "$pig_u" "$pig_s" "$pig_cu" "$pig_cs" > "$pig_jobs/$pig_f.t"
    fi
  ) </dev/null 2>/dev/null &
  pig_outs="$pig_outs $pig_jobs/$pig_f"
}
pig_start_module() { pig_job "s$1" "$2" pig_module "$2" "$3"; }
pig_run_module() { section "$2"; pig_section_out "$3"; }
pig_outs=""
pig_nchecks=0
if pig_jobs=$(mktemp -d /tmp/pig-facts.XXXXXX 2>/dev/null); then
  trap 'rm -rf -- "$pig_jobs"' EXIT
  pig_ifs=$IFS
  IFS='
'
  set -f
  for pig_c in $PIG_CHECKS; do
    pig_nchecks=$((pig_nchecks + 1))
    pig_job "c$pig_nchecks" "check#$pig_nchecks" check_q "$pig_c"
  done
  set +f
  IFS=$pig_ifs
  pig_modules pig_start_module
else
  pig_jobs=""
fi

section os
cat /etc/os-release 2>/dev/null
printf 'PIG_ARCH=%s\nPIG_KERNEL=%s\n' "$(uname -m)" "$(uname -r)"
if [ -d /run/systemd/system ]; then echo PIG_SYSTEMD=yes; else echo PIG_SYSTEMD=no; fi

section hostname
hostname 2>/dev/null || uname -n

section cpu
getconf _NPROCESSORS_ONLN 2>/dev/null || nproc

section memory
grep -E '^(MemTotal|MemAvailable|SwapTotal):' /proc/meminfo 2>/dev/null

section disks
df -P -k -l 2>/dev/null

section uptime
cut -d' ' -f1 /proc/uptime 2>/dev/null

# package queries are the only OS-specific part: one line "NAME<TAB>STATUS<TAB>VERSION",
# STATUS being dpkg's two-letter abbreviation ("ii" when installed) or "absent"
pkg_rpm() {
  if pig_v=$(rpm -q --qf '%{EPOCH}:%{VERSION}-%{RELEASE}\n' -- "$1" 2>/dev/null | head -n 1); then
    printf '%s\tii\t%s\n' "$1" "${pig_v#(none):}"
  else
    printf '%s\tabsent\t\n' "$1"
  fi
}
# apt-cache with a binary cache of the package lists: apt's own, or pig's in /var/cache/pig/apt
# where the host's apt configuration turns apt's off (container images often do). Without one,
# apt-cache parses every package list on each run: about 0.4 s of CPU against 0.02 s. apt itself
# checks the cache against the lists and dpkg's status, rebuilds it when they change and replaces
# the file by a rename, so concurrent runs are safe.
pig_apt_cache() {
  pig_pc="" pig_spc=""
  eval "$(apt-config shell pig_pc Dir::Cache::pkgcache pig_spc Dir::Cache::srcpkgcache 2>/dev/null)"
  if { [ -z "$pig_pc" ] || [ -z "$pig_spc" ]; } && mkdir -p /var/cache/pig/apt 2>/dev/null &&
    [ -d /var/cache/pig/apt ] && [ ! -L /var/cache/pig/apt ] && [ -O /var/cache/pig/apt ]; then
    [ -n "$pig_pc" ] || set -- -o Dir::Cache::pkgcache=/var/cache/pig/apt/pkgcache.bin "$@"
    [ -n "$pig_spc" ] || set -- -o Dir::Cache::srcpkgcache=/var/cache/pig/apt/srcpkgcache.bin "$@"
  fi
  apt-cache "$@"
}
# one dpkg-query (or rpm) run for every package: forks, not packages, are what cost time here
# A package not installed gets a fourth field, what apt would install: its candidate version,
# "none" when no package source has it, empty when the package lists were never fetched (one
# apt-cache run for all of them, only when some are missing).
pkgs_dpkg() {
  pig_found=$(printf '%s\n' "$PIG_PACKAGES" | grep -v '^$' | xargs -r dpkg-query -W -f='${Package}\t${db:Status-Abbrev}\t${Version}\n' -- 2>/dev/null)
  pig_rows=$(printf '%s\n' "$PIG_PACKAGES" | awk -F'\t' -v found="$pig_found" '
    BEGIN { n = split(found, lines, "\n"); for (i = 1; i <= n; i++) { split(lines[i], f, "\t"); if (!(f[1] in have)) have[f[1]] = lines[i] } }
    $0 != "" { if ($0 in have) print have[$0]; else printf "%s\tabsent\t\n", $0 }')
  pig_missing=$(printf '%s\n' "$pig_rows" | awk -F'\t' '$1 != "" && substr($2, 2, 1) != "i" { print $1 }')
  pig_policy=""
  if [ -n "$pig_missing" ] && command -v apt-cache >/dev/null 2>&1 && ls /var/lib/apt/lists/ 2>/dev/null | grep -q '_Packages'; then
    pig_policy=$(set -f; IFS='
'; pig_apt_cache policy -- $pig_missing 2>/dev/null | awk '
      /^[^ ]/ { sub(/:$/, ""); name = $0 } /^  Candidate:/ { print name "\t" $2 }')
    pig_policy="@lists
$pig_policy"
  fi
  printf '%s\n' "$pig_rows" | awk -F'\t' -v policy="$pig_policy" '
    BEGIN { n = split(policy, l, "\n"); lists = (l[1] == "@lists"); for (i = 2; i <= n; i++) { split(l[i], f, "\t"); cand[f[1]] = f[2] } }
    $0 == "" { next }
    substr($2, 2, 1) == "i" { print; next }
    { c = ""; if (lists) { c = ($1 in cand) ? cand[$1] : "none"; if (c == "(none)") c = "none" } printf "%s\t%s\t%s\t%s\n", $1, $2, $3, c }'
}
section packages
if command -v dpkg-query >/dev/null 2>&1; then pkgs_dpkg
elif command -v rpm >/dev/null 2>&1; then each "$PIG_PACKAGES" pkg_rpm
fi

# one systemctl run for every unit: it prints one block per unit, in order, blank-line separated
section units
pig_units=$(printf '%s\n' "$PIG_UNITS" | grep -v '^$')
if [ -n "$pig_units" ] && command -v systemctl >/dev/null 2>&1; then
  printf '%s\n' "$pig_units" | xargs systemctl show -p LoadState,ActiveState,SubState,UnitFileState,ActiveEnterTimestampMonotonic,MainPID -- 2>/dev/null |
    awk -v names="$pig_units" 'BEGIN { n = split(names, u, "\n"); i = 1; print "@@unit " u[i] }
      /^$/ { i++; if (i <= n) print "@@unit " u[i]; next } { print }'
fi

# one line per path: PATH<TAB>TYPE<TAB>MODE<TAB>OWNER<TAB>GROUP<TAB>SIZE<TAB>SHA256<TAB>LINK, then
# "@@tar BASE64": one tar archive of the small regular files whose content was asked for.
# One stat, one sha256sum and one tar for all paths, however many; a link's target costs a fork.
section files
pig_paths=$(printf '%s\n' "$PIG_FILES" | grep -v '^$' | cut -c3-)
pig_stat=""
pig_sums=""
if [ -n "$pig_paths" ]; then
  pig_stat=$(printf '%s\n' "$pig_paths" | tr '\n' '\0' | xargs -0 stat -c '%n	%F	%a	%U	%G	%s' -- 2>/dev/null)
  pig_sums=$(printf '%s\n' "$pig_stat" | awk -F'\t' '$2 ~ /^regular/ { printf "%s%c", $1, 0 }' | xargs -0 -r sha256sum -- 2>/dev/null)
fi
pig_listing=$(printf '%s\n' "$PIG_FILES" | awk -F'\t' -v st="$pig_stat" -v sums="$pig_sums" '
  BEGIN {
    n = split(st, l, "\n"); for (i = 1; i <= n; i++) { split(l[i], f, "\t"); if (f[1] != "") s[f[1]] = l[i] }
    n = split(sums, l, "\n"); for (i = 1; i <= n; i++) { h = substr(l[i], 1, 64); p = substr(l[i], 67); if (p != "") sum[p] = h }
  }
  $0 != "" {
    want = substr($0, 1, 1); p = substr($0, 3)
    if (!(p in s)) { printf "%s\tmissing\t\t\t\t0\t\t\n", p; next }
    split(s[p], f, "\t"); t = f[2]; meta = f[3] "\t" f[4] "\t" f[5]
    if (t == "symbolic link") { print "@@link " p "\t" meta }
    else if (t == "directory") { printf "%s\tdir\t%s\t0\t\t\n", p, meta }
    else if (t ~ /^regular/) {
      printf "%s\tfile\t%s\t%s\t%s\t\n", p, meta, f[6], sum[p]
      if (want == "c" && f[6] + 0 <= 65536) print "@@want " p
    }
    else { printf "%s\tother\t%s\t0\t\t\n", p, meta }
  }')
printf '%s\n' "$pig_listing" | while IFS= read -r pig_line; do
  case "$pig_line" in
    "@@want "*|"") ;;
    "@@link "*) pig_l=${pig_line#@@link }; pig_p=${pig_l%%	*}
                printf '%s\tlink\t%s\t0\t\t%s\n' "$pig_p" "${pig_l#*	}" "$(readlink -- "$pig_p")" ;;
    *) printf '%s\n' "$pig_line" ;;
  esac
done
case "$pig_listing" in *"@@want "*)
  printf '@@tar %s\n' "$(printf '%s\n' "$pig_listing" | sed -n 's/^@@want //p' | tr '\n' '\0' |
    tar -c -P -b 1 -f - --no-recursion --null -T - 2>/dev/null | base64 -w0)" ;;
esac

# one getent for all the names (it prints those that exist, in order)
section users
pig_names=$(printf '%s\n' "$PIG_USERS" | grep -v '^$')
[ -z "$pig_names" ] || printf '%s\n' "$pig_names" | xargs getent passwd -- 2>/dev/null

section groups
pig_names=$(printf '%s\n' "$PIG_GROUPS" | grep -v '^$')
[ -z "$pig_names" ] || printf '%s\n' "$pig_names" | xargs getent group -- 2>/dev/null

# KEY<TAB>ok<TAB>VALUE, or KEY<TAB>missing for a key this kernel does not have: one awk reads them all
section sysctl
printf '%s\n' "$PIG_SYSCTLS" | awk '
  $0 == "" { next }
  { f = "/proc/sys/" $0; gsub(/\./, "/", f); v = ""; n = 0
    while ((r = (getline line < f)) > 0) { v = n++ ? v "\n" line : line }
    close(f)
    if (n || r == 0) printf "%s\tok\t%s\n", $0, v; else printf "%s\tmissing\n", $0 }'

# the exit code of each guard command, in request order, one per line, then the modules' sections:
# the jobs' files in the order they were started, printed by one cat once all are done
section checks
if [ -n "$pig_jobs" ]; then
  [ -z "${PIG_TIMING:-}" ] || pig_mark wait
  wait
  [ -z "$pig_outs" ] || cat -- $pig_outs
else
  each "$PIG_CHECKS" check_q
  pig_modules pig_run_module
fi
