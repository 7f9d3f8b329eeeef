# shellcheck shell=sh disable=SC2034,SC2154
# deregister this run; the last run unmounts, and only what crossgen mounted: first the view (/install, bound to
# $target when the site's installdir is another folder), then $target.
# $1 lease folder, $2 run id, $3 target, $4 source, $5 the unmount command, $6 the view or "", then the ids of
# stale runs (their controller and genimage gone) whose entries are removed too (reclaimed=RUN each).
d=$1; run=$2; target=$3; src=$4; umnt=$5; view=$6; shift 6
lock
if [ -e "$d/users/$run" ]; then rm -f "$d/users/$run"; echo registered=yes; else echo registered=no; fi
for s in "$@"; do
  if [ -e "$d/users/$s" ]; then rm -f "$d/users/$s"; echo "reclaimed=$s"; fi
done
n=0; for u in "$d/users"/*; do [ -e "$u" ] && n=$((n + 1)); done
echo "others=$n"
if [ -e "$d/mounted" ]; then echo marker=yes; want=$(cat "$d/mounted"); else echo marker=no; want=$src; fi
if [ -n "$view" ]; then
  look "$want" "$view"
  vfound=$found
  printf 'view-top=%s\n' "$top"
  echo "view-found=$vfound"
fi
look "$want" "$target"
printf 'top=%s\n' "$top"
echo "found=$found"
if [ "$n" -gt 0 ]; then echo action=in-use; exit 0; fi
if [ -n "$view" ]; then
  if [ ! -e "$d/bound" ]; then
    if [ "$vfound" = same ]; then echo view-action=not-ours; else echo view-action=nothing; fi
  else
    case $vfound in
      same) umount "$view" 9>&- 1>&2 || { rc=$?; echo view-action=failed; echo action=failed; exit "$rc"; }
        rm -f "$d/bound"; echo view-action=unmounted ;;
      none) rm -f "$d/bound"; echo view-action=vanished ;;
      *) echo view-action=covered ;;
    esac
  fi
fi
if [ ! -e "$d/mounted" ]; then
  if [ "$found" = same ]; then echo action=not-ours; else echo action=nothing; fi; exit 0
fi
case $found in
  same) sh -c "$umnt" 9>&- 1>&2 || { rc=$?; echo action=failed; exit "$rc"; }
    rm -f "$d/mounted"; echo action=unmounted ;;
  none) rm -f "$d/mounted"; echo action=vanished ;;
  *) echo action=covered ;;
esac
