# shellcheck shell=sh
# For each pair of arguments (a pid, its start time as in /proc/PID/stat), prints "PID running" when that
# process still runs, else "PID gone".
while [ "$#" -ge 2 ]; do
  if alive "$1" "$2"; then echo "$1 running"; else echo "$1 gone"; fi
  shift 2
done
