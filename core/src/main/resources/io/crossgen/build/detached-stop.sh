# shellcheck shell=sh
# Stops a detached run (see detached-start.sh) if it still runs: kill_group (kill-group.sh, loaded before this
# file) sends TERM to its process group and KILL to what is left after 30 s.
# $1 the run folder. Prints "stopped" when it signalled the group; exits 0 when there was nothing to stop.
d=$1; p=$(cat "$d/pid" 2>/dev/null) || exit 0
[ -e "$d/rc" ] && exit 0
kill_group "$p" 300 || exit 0
echo stopped
