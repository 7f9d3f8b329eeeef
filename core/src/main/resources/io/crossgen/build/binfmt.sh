# Preflight's binfmt_misc facts on the builder (appended to its script when the build is emulated): whether
# binfmt_misc is mounted, then every entry's text as the kernel prints it, each line prefixed with
# "binfmt NAME ", and whether the entry's interpreter is present on the builder ("binfmt NAME present yes|no").
# Preflight matches the entries to the image's architecture by their ELF magic and mask, not by name.
d=/proc/sys/fs/binfmt_misc
if [ -r "$d/status" ]; then
    printf 'binfmt.status=%s\n' "$(cat "$d/status")"
    for f in "$d"/*; do
        n=${f##*/}
        case $n in register | status) continue ;; esac
        [ -f "$f" ] || continue
        while IFS= read -r line; do
            printf 'binfmt %s %s\n' "$n" "$line"
        done < "$f"
        i=$(sed -n 's/^interpreter //p' "$f")
        if [ -n "$i" ] && [ -x "$i" ]; then
            printf 'binfmt %s present yes\n' "$n"
        else
            printf 'binfmt %s present no\n' "$n"
        fi
    done
else
    echo binfmt.status=unmounted
fi
