# shellcheck shell=sh
# kill_group PID TENTHS: the one way crossgen stops a process tree on a host. TERM to the process group PID leads
# (or to the process alone, when it leads no group), then, while any of them is left, KILL after TENTHS tenths of a
# second. Returns 1 when there was nothing to signal.
kill_group() {
    kill -s TERM -- "-$1" 2>/dev/null || kill -s TERM -- "$1" 2>/dev/null || return 1
    waited=0
    while kill -s 0 -- "-$1" 2>/dev/null || kill -s 0 -- "$1" 2>/dev/null; do
        if [ "$waited" -ge "$2" ]; then
            kill -s KILL -- "-$1" 2>/dev/null
            kill -s KILL -- "$1" 2>/dev/null
            return 0
        fi
        sleep 0.1
        waited=$((waited + 1))
    done
}
