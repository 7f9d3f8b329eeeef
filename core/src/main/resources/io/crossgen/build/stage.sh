# Stages a netboot rebuild of rootimgdir $1 in $2 (a folder inside it, outside packimage's rootimg.* glob):
# the image tree moves there (rename, so genimage updates it as it would in place); the archive, kernel and
# initrd-* that nodes boot stay in $1, untouched, until the new ones are complete. A stage left by a run that
# died is taken over. Prints one line per action.
d=$1
s=$2
mkdir -p -- "$d" || exit 2
if [ -d "$s" ]; then
    if [ -d "$s/rootimg" ] && [ ! -e "$d/rootimg" ]; then
        echo "took over the image tree a stopped run left in $s"
    else
        rm -rf -- "$s" || exit 2
        echo "removed $s, left by a stopped run"
    fi
fi
mkdir -p -- "$s" || exit 2
if [ -d "$d/rootimg" ] && [ ! -e "$s/rootimg" ]; then
    mv -- "$d/rootimg" "$s/rootimg" || exit 2
    echo "moved $d/rootimg to $s/rootimg"
fi
rm -f -- "$s"/rootimg.* "$s"/kernel "$s"/initrd-*
exit 0
