# Preflight's facts about the builder, one "key=value" line each (Preflight parses them; binfmt.sh may follow).
# $1 the site's installdir; the other arguments are the tools to look for (tool.NAME=yes|no).
# For /install and the installdir: PREFIX.exists, PREFIX.empty and PREFIX.mount (findmnt's line for the path);
# looked at once when the installdir is /install.
# Perl's modules take most of the time (perl starts, DBI and JSON load): one perl looks for both, in the
# background while the rest runs; it prints its two lines in one write at its end, and the script waits for it.
installdir=$1; shift
{ perl -e 'my $o = ""; for my $m (@ARGV) { $o .= "perl.$m=" . ((eval "require $m; 1") ? "yes" : "no") . "\n" }
print $o' DBI JSON 2>/dev/null || printf 'perl.DBI=no\nperl.JSON=no\n'; } &
path_facts() {
    if [ -d "$1" ]; then pe=yes; else pe=no; fi
    if [ -n "$(find "$1" -mindepth 1 -maxdepth 1 2>/dev/null | head -n 1)" ]; then pm=no; else pm=yes; fi
    pt=$(findmnt -rn -o TARGET,SOURCE,FSTYPE,OPTIONS --target "$1" 2>/dev/null | tail -n 1)
}
print_facts() {
    printf '%s.exists=%s\n%s.empty=%s\n%s.mount=%s\n' "$1" "$pe" "$1" "$pm" "$1" "$pt"
}
printf 'arch=%s\n' "$(uname -m)"
if [ -r /etc/os-release ]; then
    # shellcheck disable=SC1091
    ( . /etc/os-release; printf 'os.id=%s\nos.id_like=%s\nos.version_id=%s\nos.pretty_name=%s\n' \
        "$ID" "$ID_LIKE" "$VERSION_ID" "$PRETTY_NAME" )
fi
uid=$(id -u)
printf 'uid=%s\n' "$uid"
if [ "$uid" != 0 ]; then
    if sudo -n true >/dev/null 2>&1; then echo sudo=yes; else echo sudo=no; fi
fi
for t in "$@"; do
    if command -v "$t" >/dev/null 2>&1; then printf 'tool.%s=yes\n' "$t"; else printf 'tool.%s=no\n' "$t"; fi
done
path_facts /install
print_facts install
[ "$installdir" = /install ] || path_facts "$installdir"
print_facts installdir
wait
