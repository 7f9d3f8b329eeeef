# shellcheck shell=sh disable=SC2034,SC2154
# the MN export at $target is shared by every crossgen run on this host: register this run (its owner lines in
# users/RUN), and mount unless the export is on top already (all under flock). With a view (/install, when the
# site's installdir is another folder), $target is also bind-mounted there unless the export shows there already
# (marker: bound, holding $target); the view is looked at first, so a refusal changes nothing.
# Once the run holds the lease, the lock is let go (a write to a hung mount must not block the other runs' lease)
# and its probe files are written (probe-common.sh: probe=written or probe=failed; the exit stays 0: the lease is
# the run's either way, and its release gives it back).
# $1 lease folder, $2 run id, $3 target, $4 source, $5 the run's owner lines, $6 the view or "", $7 the unmount
# command, $8 the probes' content, $9 the probe file under /install, $10 the probe file under $target when that is
# another folder or "", then each mount command.
d=$1; run=$2; target=$3; src=$4; owner=$5; view=$6; umnt=$7; pc=$8; p1=$9; p2=${10}; shift 10
held() {
  exec 9>&-
  if [ -n "$p2" ]; then probe "$pc" "$p1" "$p2"; else probe "$pc" "$p1"; fi
  exit 0
}
lock
printf '%s\n' "$owner" > "$d/users/$run" || { echo lease=no-state; exit 2; }
if [ -n "$view" ]; then
  look "$src" "$view"
  vfound=$found
  printf 'view-top=%s\n' "$top"
  echo "view-found=$vfound"
  if [ "$vfound" = network ]; then rm -f "$d/users/$run"; echo view-action=refused; echo action=refused; exit 3; fi
fi
look "$src" "$target"
printf 'top=%s\n' "$top"
echo "found=$found"
if [ -e "$d/mounted" ]; then echo marker=yes; else echo marker=no; fi
case $found in
  same) if [ "$(cat "$d/mounted" 2>/dev/null)" = "$src" ]; then action=shared; else action=reused; fi ;;
  network) rm -f "$d/users/$run"; echo action=refused; exit 3 ;;
  *)
    printf '%s\n' "$src" > "$d/mounted" || { rm -f "$d/users/$run"; echo lease=no-state; exit 2; }
    i=0
    for c in "$@"; do
      i=$((i + 1))
      sh -c "$c" 9>&- 1>&2 || {
        rc=$?; rm -f "$d/mounted" "$d/users/$run"; echo action=failed; echo "failed=$i"; exit "$rc"
      }
    done
    action=mounted ;;
esac
echo "action=$action"
[ -n "$view" ] || held
if [ "$vfound" = same ]; then
  if [ "$(cat "$d/bound" 2>/dev/null)" = "$target" ]; then echo view-action=shared; else echo view-action=reused; fi
  held
fi
printf '%s\n' "$target" > "$d/bound" || { rm -f "$d/users/$run"; echo lease=no-state; exit 2; }
{ mkdir -p "$view" && mount --bind "$target" "$view"; } 9>&- 1>&2 || {
  rc=$?
  rm -f "$d/bound" "$d/users/$run"
  if [ "$action" = mounted ]; then sh -c "$umnt" 9>&- 1>&2 && rm -f "$d/mounted"; fi
  echo view-action=failed; exit "$rc"
}
echo view-action=bound
held
