# Lists the packages installed in the image tree $1: a first line naming the database read, "rpm" or "dpkg"
# (or "none" when the tree has neither, or this host lacks its query tool), then one line per package,
# name, version ([epoch:]version-release) and architecture separated by tabs.
r=$1
if [ -d "$r/var/lib/rpm" ] || [ -d "$r/usr/lib/sysimage/rpm" ]; then
    if command -v rpm >/dev/null 2>&1; then
        echo rpm
        exec rpm -qa --root "$r" --qf '%{NAME}\t%|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}\t%{ARCH}\n'
    fi
fi
if [ -f "$r/var/lib/dpkg/status" ] && command -v dpkg-query >/dev/null 2>&1; then
    echo dpkg
    # Only installed packages: dpkg also keeps removed ones whose conffiles remain (status config-files).
    # shellcheck disable=SC2016
    dpkg-query --admindir="$r/var/lib/dpkg" -W -f='${db:Status-Status}\t${Package}\t${Version}\t${Architecture}\n' \
        | awk -F '\t' -v OFS='\t' '$1 == "installed" { print $2, $3, $4 }'
    exit 0
fi
echo none
