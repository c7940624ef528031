# pig safefs: writes as root that a link planted by another user cannot redirect.
# A directory whose real path, and every directory above it, belongs to root and is writable by
# no one else (or is sticky, like /tmp) is written into as root. Below a directory that another
# user owns, the write is made as that user: whatever a link planted there points at, the write
# can only reach what that user could reach anyway. A file or directory that would belong to
# root, or to a third user, inside such a directory is refused, since root cannot place it there
# safely. Paths reach these functions as arguments, never as shell text.
set -e
umask 077
pig_fail() { printf 'pig: %s\n' "$*" >&2; exit 1; }
# not root (ansible_become: false): every write is this user's own, and owners cannot be set
pig_self=$(id -un)
pig_root=$([ "$(id -u)" = 0 ] && echo yes || echo no)

# sets pig_d to the real path of directory $1 and pig_w to the user writes into it are made as
pig_writer() {
  pig_d=$(realpath -e -- "$1" 2>/dev/null) || pig_fail "directory $1 does not exist"
  [ -d "$pig_d" ] || pig_fail "$1 is not a directory"
  if [ "$pig_root" = no ]; then pig_w=$pig_self; return 0; fi
  pig_w=root
  pig_c=$pig_d
  while :; do
    pig_s=$(stat -c '%U %u %g %a' -- "$pig_c") || pig_fail "cannot stat $pig_c"
    set -- $pig_s
    if [ "$2" != 0 ]; then
      [ "$1" != UNKNOWN ] || pig_fail "$pig_c belongs to user id $2, which has no name"
      [ "$pig_w" = root ] || [ "$pig_w" = "$1" ] || pig_fail "$pig_d lies below directories of two users ($pig_w and $1): pig does not write there"
      pig_w=$1
    elif [ $((0$4 & 01000)) -eq 0 ] && { [ $((0$4 & 02)) -ne 0 ] || { [ $((0$4 & 020)) -ne 0 ] && [ "$3" != 0 ]; }; }; then
      pig_fail "$pig_c belongs to root but others may write in it (mode $4): pig does not write below it as root"
    fi
    [ "$pig_c" != / ] || break
    pig_c=${pig_c%/*}
    [ -n "$pig_c" ] || pig_c=/
  done
}

# runs a command as user $1 (its own groups), from /
pig_as() {
  pig_u=$1
  shift
  if [ "$pig_u" = "$pig_self" ]; then ( cd / && exec "$@" ); return; fi
  ( cd / && exec setpriv --reuid="$pig_u" --regid="$(id -g -- "$pig_u")" --init-groups -- "$@" )
}

# the entry $1 inside pig_d
pig_entry() {
  if [ "$pig_d" = / ]; then printf '/%s' "${1##*/}"; else printf '%s/%s' "$pig_d" "${1##*/}"; fi
}

# pig_owned_by WHO WHAT: refuses to place an entry that is not WHO's inside a directory WHO owns
pig_owned_by() {
  [ "$pig_root" = yes ] || return 0
  [ "$1" = "$pig_w" ] || pig_fail "$2 would belong to $1 inside $pig_d, which $pig_w owns: a link planted there could redirect the write; make $pig_d root's or the file $pig_w's"
}

# pig_put DIR NAME MODE OWNER GROUP < content: an atomic write (temporary file, then rename)
pig_put() {
  pig_writer "$1"
  pig_dst=$(pig_entry "$2")
  if [ "$pig_w" = root ]; then
    pig_t=$(mktemp "$pig_d/.pig.XXXXXX")
    trap 'rm -f "$pig_t"' EXIT
    cat > "$pig_t"
    chmod "$3" "$pig_t"
    chown "$4:$5" "$pig_t"
    mv -fT -- "$pig_t" "$pig_dst"
    trap - EXIT
  else
    pig_owned_by "$4" "$pig_dst"
    pig_as "$pig_w" sh -c 'set -e; umask 077; t=$(mktemp "$1/.pig.XXXXXX"); trap "rm -f \"\$t\"" EXIT; cat > "$t";
      chmod "$3" "$t"; [ "$5" = no ] || chgrp "$4" "$t"; mv -fT -- "$t" "$2"; trap - EXIT' pig "$pig_d" "$pig_dst" "$3" "$5" "$pig_root"
  fi
}

# pig_mkdir PATH MODE OWNER GROUP: like mkdir -p, then the mode and owner of PATH itself
pig_mkdir() {
  [ ! -L "$1" ] || pig_fail "$1 is a symbolic link, not a directory"
  if [ ! -e "$1" ]; then
    # the missing ancestors, outermost first, each made by the writer of its parent
    pig_missing=
    pig_x=$1
    while [ ! -e "$pig_x" ] && [ ! -L "$pig_x" ]; do
      pig_missing="$pig_x
$pig_missing"
      pig_x=$(dirname -- "$pig_x")
    done
    printf '%s' "$pig_missing" | while IFS= read -r pig_m; do
      [ -n "$pig_m" ] || continue
      pig_writer "$(dirname -- "$pig_m")"
      pig_n=$(pig_entry "$pig_m")
      if [ "$pig_w" = root ]; then (umask 022; mkdir -- "$pig_n"); else pig_as "$pig_w" sh -c 'umask 022; mkdir -- "$1"' pig "$pig_n"; fi
    done
  fi
  [ -d "$1" ] && [ ! -L "$1" ] || pig_fail "$1 is not a directory"
  pig_writer "$(dirname -- "$1")"
  pig_p=$(pig_entry "$1")
  if [ "$pig_w" = root ]; then
    chmod "$2" "$pig_p"
    chown "$3:$4" "$pig_p"
  else
    pig_owned_by "$3" "$pig_p"
    [ "$pig_root" = yes ] || { chmod "$2" "$pig_p"; return 0; }
    pig_o=$(stat -c %U -- "$pig_p")
    [ "$pig_o" = "$pig_w" ] || pig_fail "$pig_p belongs to $pig_o inside $pig_d, which $pig_w owns: pig does not change it as root (a link planted there could redirect the change); check it, then chown $3:$4 $pig_p"
    pig_as "$pig_w" chmod "$2" "$pig_p"
    pig_as "$pig_w" chgrp "$4" "$pig_p"
  fi
}

# pig_ln PATH TARGET: PATH becomes a link to TARGET, replacing a link or file there
pig_ln() {
  pig_writer "$(dirname -- "$1")"
  pig_p=$(pig_entry "$1")
  [ ! -d "$pig_p" ] || [ -L "$pig_p" ] || pig_fail "$pig_p is a directory, not a link"
  if [ "$pig_w" = root ]; then ln -sfnT -- "$2" "$pig_p"; else pig_as "$pig_w" ln -sfnT -- "$2" "$pig_p"; fi
}
