# Promotes a finished stage $2 into rootimgdir $1 by rename(2): archive $3 first, then initrd-* and kernel, each
# replacing the old file at once, so a node fetches the old file or the new one, never a part; the provenance
# file moves with the archive. Then it removes the other rootimg.* in $1 (as packimage would have) and moves the image tree back. Refuses (exit 1, $1
# untouched) when the archive, kernel or initrd-stateless.gz is missing or empty in the stage.
# With $4 "provenance", stdin holds the provenance statement: it is written into the stage first (read whole
# before any check, so the sender never writes into a closed pipe) and promoted with the archive.
d=$1
s=$2
a=$3
p=$s/crossgen-provenance.json
rm -f -- "$p"
if [ "${4-}" = provenance ]; then
    cat > "$p" || { echo "could not write the provenance statement $p"; exit 2; }
fi
bad=0
for f in "$a" kernel initrd-stateless.gz; do
    if [ ! -s "$s/$f" ]; then
        echo "missing or empty: $s/$f"
        bad=1
    fi
done
[ "$bad" = 0 ] || exit 1
mv -f -- "$s/$a" "$d/$a" || exit 2
# The provenance describes the archive beside it: the new one comes along, an old one without a new one goes.
if [ -f "$p" ]; then
    mv -f -- "$p" "$d/crossgen-provenance.json" || exit 2
else
    rm -f -- "$d/crossgen-provenance.json"
fi
for f in "$s"/initrd-*; do
    if [ -f "$f" ]; then
        mv -f -- "$f" "$d/" || exit 2
    fi
done
mv -f -- "$s/kernel" "$d/kernel" || exit 2
echo "promoted $d/$a"
for f in "$d"/rootimg.*; do
    if [ -f "$f" ] && [ "$f" != "$d/$a" ]; then
        rm -f -- "$f" && echo "removed the older archive $f"
    fi
done
if [ -e "$d/rootimg" ]; then
    mv -- "$d/rootimg" "$s/rootimg.replaced" || exit 2
fi
if [ -d "$s/rootimg" ]; then
    mv -- "$s/rootimg" "$d/rootimg" || exit 2
fi
rm -rf -- "$s" || exit 2
exit 0
