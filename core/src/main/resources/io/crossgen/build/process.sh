# shellcheck shell=sh
# Shared by crossgen's scripts that look at processes.
# alive PID START: true when process PID runs and started at START (clock ticks since boot, field 22 of
# /proc/PID/stat; an empty START matches any), so that a reused pid is not taken for the process recorded.
# A zombie counts as gone.
alive() {
  st=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1,20)
  case $st in
    ''|Z*|X*) return 1 ;;
  esac
  [ -z "$2" ] || [ "${st#* }" = "$2" ]
}
# started PID: prints the start time of process PID (clock ticks since boot), nothing when it is gone.
started() {
  sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f20
}
