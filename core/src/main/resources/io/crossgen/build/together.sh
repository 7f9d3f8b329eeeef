# Runs commands at the same time on this host, each with stdin closed, and prints their results in turn. The
# arguments are, for each command, its word count and then its words. For each command, in order, it prints
# "@crossgen-together K exit=RC stdout=L stderr=M", then the command's L lines of stdout and M lines of stderr
# (a missing last line break added). RC is 255 when the command left no status. Exits 125 on bad arguments.
t=$(mktemp -d "${TMPDIR:-/tmp}/crossgen-together.XXXXXX") || exit 125
trap 'rm -rf -- "$t"' EXIT
trap 'exit 130' INT TERM HUP
part() {
    k=$1
    n=$2
    shift 2
    m=$#
    j=0
    while [ "$j" -lt "$m" ]; do
        if [ "$j" -lt "$n" ]; then
            set -- "$@" "$1"
        fi
        shift
        j=$((j + 1))
    done
    "$@" < /dev/null > "$t/$k.out" 2> "$t/$k.err"
    echo "$?" > "$t/$k.rc"
}
k=0
while [ "$#" -gt 0 ]; do
    n=$1
    shift
    case $n in
        '' | *[!0-9]*)
            echo "crossgen-together: '$n' is not a word count" >&2
            exit 125
            ;;
    esac
    if [ "$n" -lt 1 ] || [ "$n" -gt "$#" ]; then
        echo "crossgen-together: a command of $n words, $# words left" >&2
        exit 125
    fi
    k=$((k + 1))
    part "$k" "$n" "$@" &
    shift "$n"
done
wait
j=1
while [ "$j" -le "$k" ]; do
    rc=255
    if [ -s "$t/$j.rc" ]; then
        rc=$(cat -- "$t/$j.rc")
    fi
    touch -- "$t/$j.out" "$t/$j.err"
    printf '@crossgen-together %d exit=%s stdout=%d stderr=%d\n' "$j" "$rc" \
        "$(awk 'END { print NR }' "$t/$j.out")" "$(awk 'END { print NR }' "$t/$j.err")"
    awk 1 "$t/$j.out" "$t/$j.err"
    j=$((j + 1))
done
exit 0
