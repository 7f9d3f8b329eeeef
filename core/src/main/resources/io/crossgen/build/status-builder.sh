# shellcheck shell=sh
# What crossgen keeps on a builder. $1 the /install lease folder, $2 the folder of the per-run folders, $3 the
# site's installdir. Prints the lease entries (see entries), then marker=SOURCE when crossgen mounted the
# installdir, bound=INSTALLDIR when crossgen showed it at /install, top=<findmnt line of the installdir>,
# one detached=RUN pid=N state=running|ended rc=RC line per run folder, and one rootimg-mount=TARGET line per
# mount under a rootimg.
entries "$1"
if [ -e "$1/mounted" ]; then printf 'marker=%s\n' "$(cat "$1/mounted")"; fi
if [ -e "$1/bound" ]; then printf 'bound=%s\n' "$(cat "$1/bound")"; fi
printf 'top=%s\n' "$(findmnt -rn -o TARGET,SOURCE,FSTYPE,OPTIONS --target "$3" 2>/dev/null | tail -n 1)"
for r in "$2"/*; do
  [ -e "$r/pid" ] || continue
  p=$(cat "$r/pid"); t=$(cat "$r/start" 2>/dev/null); rc=$(cat "$r/rc" 2>/dev/null)
  if alive "$p" "$t"; then s=running; else s=ended; fi
  echo "detached=${r##*/} pid=$p state=$s rc=$rc"
done
findmnt -rn -o TARGET 2>/dev/null | grep '/rootimg\(/\|$\)' | sed 's/^/rootimg-mount=/'
exit 0
