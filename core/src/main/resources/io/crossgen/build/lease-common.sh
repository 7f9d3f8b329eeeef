# shellcheck shell=sh disable=SC2034,SC2154
# Shared by the /install lease scripts; $d is the lease folder.
# look WANT PATH: sets top (the last line of findmnt for PATH) and found: none (nothing mounted at PATH itself),
# same (the source, without user and trailing slashes, is WANT), network (another server's file system) or local.
look() {
  want=$1; at=$2
  top=$(findmnt -rn -o TARGET,SOURCE,FSTYPE,OPTIONS --target "$at" 2>/dev/null | tail -n 1)
  set -f
  # shellcheck disable=SC2086
  set -- $top
  set +f
  t=${1-}; s=${2-}; f=${3-}; r=$s
  case ${r%%@*} in *:*|"$r") ;; *) r=${r#*@} ;; esac
  while :; do case $r in *:/) break ;; ?*/) r=${r%/} ;; *) break ;; esac; done
  if [ -z "$t" ] || [ "$t" != "$at" ]; then found=none
  elif [ -n "$want" ] && [ "$r" = "$want" ]; then found=same
  else case $s in *:*) found=network ;; *) case $f in @NETWORK_TYPES@) found=network ;; *) found=local ;; esac ;; esac
  fi
}
# lock: takes the lock on $d (the lease folder); lease= says why not.
lock() {
  command -v flock >/dev/null 2>&1 || { echo lease=no-flock; exit 4; }
  { mkdir -p "$d/users" && true >>"$d/lock" && exec 9>>"$d/lock"; } || { echo lease=no-state; exit 2; }
  flock -w @LOCK_WAIT@ 9 || { echo lease=busy; exit 5; }
}
