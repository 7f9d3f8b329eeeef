# shellcheck shell=sh
# Starts a command detached from the connection (setsid, stdin from /dev/null) in a per-run folder.
# $1 the run folder, $2 the working folder, the rest the argv. Output goes to log, the exit code to rc (written
# last, atomically), the pid and its start time to pid and start. When the folder's run still runs (a controller
# that died and is resumed), nothing is started: the run is attached to.
# Prints pid=N, start=T and action=started or action=attached.
d=$1; w=$2; shift 2
if [ -e "$d/pid" ] && [ ! -e "$d/rc" ]; then
  p=$(cat "$d/pid"); t=$(cat "$d/start" 2>/dev/null)
  if [ -n "$p" ] && alive "$p" "$t"; then
    echo "pid=$p"; echo "start=$t"; echo action=attached; exit 0
  fi
fi
mkdir -p "$d" || exit 1
rm -f "$d/rc" "$d/rc.tmp" "$d/log" "$d/pid" "$d/start"
: > "$d/log"
# shellcheck disable=SC2016
setsid sh -c 'd=$1; w=$2; shift 2; cd "$w" || { echo "crossgen: cannot enter $w" >> "$d/log"; echo 1 > "$d/rc"; exit 1; }; "$@" >> "$d/log" 2>&1; echo $? > "$d/rc.tmp"; mv "$d/rc.tmp" "$d/rc"' crossgen-detached "$d" "$w" "$@" < /dev/null > /dev/null 2>&1 &
p=$!
t=$(started "$p")
echo "$p" > "$d/pid"
printf '%s\n' "$t" > "$d/start"
echo "pid=$p"; echo "start=$t"; echo action=started
