# Preflight's facts about the builder, one "key=value" line each (Preflight parses them; binfmt.sh may follow).
# $1 the site's installdir; the other arguments are the tools to look for (tool.NAME=yes|no).
# For /install and the installdir: PREFIX.exists, PREFIX.empty and PREFIX.mount (findmnt's line for the path).
installdir=$1; shift
path_facts() {
    if [ -d "$2" ]; then echo "$1.exists=yes"; else echo "$1.exists=no"; fi
    if [ -n "$(find "$2" -mindepth 1 -maxdepth 1 2>/dev/null | head -n 1)" ]; then echo "$1.empty=no"; else echo "$1.empty=yes"; fi
    printf '%s.mount=%s\n' "$1" "$(findmnt -rn -o TARGET,SOURCE,FSTYPE,OPTIONS --target "$2" 2>/dev/null | tail -n 1)"
}
printf 'arch=%s\n' "$(uname -m)"
if [ -r /etc/os-release ]; then
    # shellcheck disable=SC1091
    ( . /etc/os-release; printf 'os.id=%s\nos.id_like=%s\nos.version_id=%s\nos.pretty_name=%s\n' \
        "$ID" "$ID_LIKE" "$VERSION_ID" "$PRETTY_NAME" )
fi
printf 'uid=%s\n' "$(id -u)"
if [ "$(id -u)" != 0 ]; then
    if sudo -n true >/dev/null 2>&1; then echo sudo=yes; else echo sudo=no; fi
fi
for t in "$@"; do
    if command -v "$t" >/dev/null 2>&1; then printf 'tool.%s=yes\n' "$t"; else printf 'tool.%s=no\n' "$t"; fi
done
for m in DBI JSON; do
    if perl -M"$m" -e 1 >/dev/null 2>&1; then printf 'perl.%s=yes\n' "$m"; else printf 'perl.%s=no\n' "$m"; fi
done
path_facts install /install
path_facts installdir "$installdir"
