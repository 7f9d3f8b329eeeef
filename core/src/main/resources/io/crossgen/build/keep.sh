# Keeps copies of the boot files of statelite rootimgdir $1 (kernel, initrd-*, rootimg-statelite.gz) in $2, a
# folder outside packimage's rootimg.* glob. Copies, not hard links: genimage rewrites kernel and initrd-* in
# place, which a hard link would follow. Files kept by a run that stopped are put back first.
d=$1
k=$2
if [ -d "$k" ]; then
    for f in "$k"/*; do
        if [ -f "$f" ]; then
            mv -f -- "$f" "$d/" || exit 2
            echo "restored $d/${f##*/}, kept by a stopped run"
        fi
    done
    rm -rf -- "$k" || exit 2
fi
mkdir -p -- "$k" || exit 2
for f in "$d"/kernel "$d"/initrd-* "$d"/rootimg-statelite.gz; do
    if [ -f "$f" ]; then
        cp -p -- "$f" "$k/" || exit 2
        echo "kept $f"
    fi
done
exit 0
