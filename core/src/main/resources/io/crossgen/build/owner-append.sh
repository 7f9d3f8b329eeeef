# shellcheck shell=sh
# Appends the lines $2 to the owner file $1 of a lock or lease entry, when that file is there.
[ -f "$1" ] && printf '%s\n' "$2" >> "$1"
exit 0
