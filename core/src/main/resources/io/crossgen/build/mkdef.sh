# Defines an osimage on the MN in one round trip: writes the stanza given on this command's stdin to the run's
# file $1 (mode 0600; its folder made as needed), then feeds mkdef -z that FILE, never this command's own stdin,
# which streams from the controller and may not be readable within xCAT's 1-second stdin wait (XCAT.md 3.3).
# $2 is -f to replace an existing object (mkdef -f -z), or absent. The file, and its folder if then empty, are
# removed whatever mkdef says. Exits with mkdef's status, or 125 when the stanza could not be written.
f=$1
d=${f%/*}
if ! (umask 077 && mkdir -p -- "$d" && cat > "$f"); then
    echo "crossgen-mkdef: cannot write the stanza to $f" >&2
    rm -f -- "$f"
    rmdir --ignore-fail-on-non-empty -- "$d" 2>/dev/null
    exit 125
fi
# cat FILE | mkdef, not mkdef < FILE: mkdef before xCAT 2.12.3 ignores a redirected file (issue #1671)
if [ "${2-}" = -f ]; then
    # shellcheck disable=SC2002
    cat -- "$f" | mkdef -f -z
else
    # shellcheck disable=SC2002
    cat -- "$f" | mkdef -z
fi
rc=$?
rm -f -- "$f"
rmdir --ignore-fail-on-non-empty -- "$d"
exit "$rc"
