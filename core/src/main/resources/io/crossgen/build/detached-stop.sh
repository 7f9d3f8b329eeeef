# Stops a detached run (see detached-start.sh) if it still runs: TERM to its process group, KILL after 30 s.
# $1 the run folder. Prints "stopped" when it signalled the group; exits 0 when there was nothing to stop.
d=$1; p=$(cat "$d/pid" 2>/dev/null) || exit 0
[ -e "$d/rc" ] && exit 0
kill -TERM "-$p" 2>/dev/null || exit 0
i=0; while kill -0 "$p" 2>/dev/null && [ "$i" -lt 30 ]; do sleep 1; i=$((i + 1)); done
kill -KILL "-$p" 2>/dev/null
echo stopped
