#!/usr/bin/env bash
# Fan-out benchmark: a NODE plan of N hosts reached over SSH, printing figures; asserts nothing.
# Needs root. The hosts are loopback addresses (127.0.1.1, 127.0.1.2, ...) all answered by one sshd
# of the benchmark's own, on a private port, with its own host and login keys: never the system's
# sshd. Every host runs pig's facts script over its own connection, on this machine's cores, so
# the figures are what pig costs plus what N scripts cost here.
#
#   bench/fanout.sh                 # N = 1 10 50 100 250 500
#   bench/fanout.sh 10 100          # chosen N
#   FORKS=50 bench/fanout.sh 250    # another --forks
#   ANSIBLE=1 bench/fanout.sh 10    # also Debian's Ansible (ssh and mitogen) on the same checks
#
# Prints per N: wall time, pig's own CPU (user+sys of the JVM), peak memory (max RSS), and the
# marginal cost per host against the previous N.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ "$(id -u)" = 0 ] || { echo "fanout.sh needs root (it starts an sshd of its own)" >&2; exit 69; }
command -v /usr/sbin/sshd >/dev/null || { echo "needs openssh-server's sshd: apt-get install openssh-server" >&2; exit 69; }
[ -x /usr/bin/time ] || { echo "needs GNU time: apt-get install time" >&2; exit 69; }
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1 10 50 100 250 500)
port=${PORT:-2299}
forks=${FORKS:-}

work=$(mktemp -d /tmp/pig-fanout.XXXXXX)
sshd_pid=""
cleanup() {
  [ -z "$sshd_pid" ] || kill "$sshd_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

ssh-keygen -q -t ed25519 -N '' -f "$work/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$work/id_ed25519"
mkdir -p "$work/home/.pig" "$work/keys"
cp "$work/id_ed25519.pub" "$work/keys/authorized_keys"
chmod 700 "$work/keys"
chmod 600 "$work/keys/authorized_keys"
cat > "$work/sshd_config" <<EOF
Port $port
ListenAddress 0.0.0.0
HostKey $work/host_key
PidFile $work/sshd.pid
AuthorizedKeysFile $work/keys/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
AllowUsers root@127.0.0.0/8
UsePAM no
StrictModes no
MaxStartups 2000
MaxSessions 20
LogLevel ERROR
EOF
# sshd's privilege separation directory: made by its service at boot, absent where none ran
mkdir -p -m 0755 /run/sshd
# The hosts log in as root, and sshd runs each command through root's shell, which (bash, started
# by sshd) reads root's ~/.bashrc: on a workstation that can cost more than the facts script (a
# pyenv init there is about 0.1 s of CPU per login). The benchmark's sshd runs in a mount namespace
# of its own where root's home is an empty tmpfs, as on a server; the system's /root is untouched.
unshare --mount --propagation private sh -c \
  'mount -t tmpfs -o mode=0700 pig-bench-home "$1" && exec /usr/sbin/sshd -f "$2" -D -e' sh \
  "$(getent passwd root | cut -d: -f6)" "$work/sshd_config" 2>"$work/sshd.log" &
sshd_pid=$!
for _ in $(seq 50); do [ -s "$work/sshd.pid" ] && break; sleep 0.1; done
kill -0 "$sshd_pid" 2>/dev/null && [ -s "$work/sshd.pid" ] || { echo "the benchmark's sshd did not start:" >&2; cat "$work/sshd.log" >&2; exit 1; }

# the loopback address of host i: 127.0.1.1 ... 127.0.1.254, 127.0.2.1 ...
addr() { echo "127.0.$((1 + ($1 - 1) / 254)).$((1 + ($1 - 1) % 254))"; }

inventory() {
  local n=$1 f=$work/inv-$1.yml
  {
    echo "all:"
    echo "  children:"
    echo "    nodes:"
    echo "      hosts:"
    for i in $(seq "$n"); do echo "        $(addr "$i"): {}"; done
    echo "  vars:"
    echo "    ansible_port: $port"
    echo "    ansible_user: root"
    echo "    ansible_connection: ssh"
    echo "    ansible_become: false"
    echo "    ansible_ssh_private_key_file: $work/id_ed25519"
    echo "    node_write_etc_hosts: false"
  } > "$f"
  echo "$f"
}

# the pig jar is built once, outside the measurements
"$root/pig" --version >/dev/null

printf '%-6s %10s %12s %12s %14s %s\n' N "wall s" "pig CPU s" "peak MB" "ms/host" "(marginal)"
prev_n=0
prev_wall=0
for n in "${sizes[@]}"; do
  inv=$(inventory "$n")
  args=(plan -i "$inv" -t node --host-key-policy accept-new)
  [ -z "$forks" ] || args+=(--forks "$forks")
  # a fresh known_hosts: every host's key is learnt in the run, as on a first plan
  rm -f "$work/home/.pig/known_hosts"
  /usr/bin/time -f '%e %U %S %M' -o "$work/time" env HOME="$work/home" PIG_JAVA_OPTS="-Duser.home=$work/home" "$root/pig" "${args[@]}" >"$work/out" 2>"$work/err" || {
    code=$?
    # exit 2 is "changes pending" with --detailed-exitcode only; any other failure is reported
    echo "N=$n: pig exited $code: $(tail -3 "$work/err")" >&2; cat "$work/out" >&2
  }
  read -r wall user sys rss < <(tail -1 "$work/time")
  cpu=$(echo "$user + $sys" | bc)
  per=$(echo "scale=1; $wall * 1000 / $n" | bc)
  marginal=""
  if [ "$prev_n" -gt 0 ]; then
    marginal="($(echo "scale=1; ($wall - $prev_wall) * 1000 / ($n - $prev_n)" | bc) ms/host over N=$prev_n)"
  fi
  failed=$(grep -c ": !" "$work/out" || true)
  [ "$failed" = 0 ] && failed="" || failed=" $failed host(s) could not be planned"
  printf "%-6s %10s %12s %12s %14s %s\n" "$n" "$wall" "$cpu" "$((rss / 1024))" "$per" "$marginal$failed"
  [ "$n" != "${sizes[0]}" ] || tail -1 "$work/out"
  prev_n=$n
  prev_wall=$wall
done

if [ "${ANSIBLE:-0}" = 1 ]; then
  command -v ansible-playbook >/dev/null || { echo "ANSIBLE=1 needs Debian's ansible (apt-get install ansible python3-mitogen)" >&2; exit 69; }
  echo
  echo "Ansible --check of the same NODE checks (bench/fanout-node.yml):"
  for n in "${sizes[@]}"; do
    [ "$n" -le 100 ] || continue
    hosts=$work/ansible-$n.ini
    {
      echo "[nodes]"
      for i in $(seq "$n"); do echo "$(addr "$i")"; done
      echo "[nodes:vars]"
      echo "ansible_port=$port"
      echo "ansible_user=root"
      echo "ansible_ssh_private_key_file=$work/id_ed25519"
      echo "ansible_ssh_common_args='-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null'"
    } > "$hosts"
    s=$(date +%s%N)
    ANSIBLE_HOST_KEY_CHECKING=False ANSIBLE_FORKS=${FORKS:-20} ansible-playbook -i "$hosts" --check "$root/bench/fanout-node.yml" >/dev/null 2>&1 || true
    e=$(date +%s%N)
    m=""
    if python3 -c 'import ansible_mitogen' 2>/dev/null; then
      s2=$(date +%s%N)
      ANSIBLE_STRATEGY_PLUGINS=$(python3 -c 'import ansible_mitogen, os; print(os.path.dirname(ansible_mitogen.__file__) + "/plugins/strategy")') \
        ANSIBLE_STRATEGY=mitogen_linear ANSIBLE_HOST_KEY_CHECKING=False ANSIBLE_FORKS=${FORKS:-20} \
        ansible-playbook -i "$hosts" --check "$root/bench/fanout-node.yml" >/dev/null 2>&1 || true
      e2=$(date +%s%N)
      m=", mitogen $(( (e2 - s2) / 1000000 )) ms"
    fi
    echo "  N=$n: ssh $(( (e - s) / 1000000 )) ms$m"
  done
fi
