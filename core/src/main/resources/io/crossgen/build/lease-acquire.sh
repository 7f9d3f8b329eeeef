# shellcheck shell=sh disable=SC2034
# the MN export at $target is shared by every crossgen run on this host: register this run (its owner lines in
# users/RUN), and mount unless the export is on top already (all under flock).
# $1 lease folder, $2 run id, $3 target, $4 source, $5 the run's owner lines, then each mount command.
d=$1; run=$2; target=$3; src=$4; owner=$5; shift 5
lock
printf '%s\n' "$owner" > "$d/users/$run" || { echo lease=no-state; exit 2; }
look "$src"
# shellcheck disable=SC2154
echo "found=$found"
if [ -e "$d/mounted" ]; then echo marker=yes; else echo marker=no; fi
case $found in
  same) if [ "$(cat "$d/mounted" 2>/dev/null)" = "$src" ]; then echo action=shared; else echo action=reused; fi; exit 0 ;;
  network) rm -f "$d/users/$run"; echo action=refused; exit 3 ;;
esac
printf '%s\n' "$src" > "$d/mounted" || { rm -f "$d/users/$run"; echo lease=no-state; exit 2; }
i=0
for c in "$@"; do
  i=$((i + 1))
  sh -c "$c" 9>&- 1>&2 || { rc=$?; rm -f "$d/mounted" "$d/users/$run"; echo action=failed; echo "failed=$i"; exit "$rc"; }
done
echo action=mounted
