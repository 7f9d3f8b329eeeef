# Puts the boot files keep.sh kept in $2 back into rootimgdir $1, each by rename(2), and removes $2. Nothing to
# do when the build finished and dropped them.
d=$1
k=$2
[ -d "$k" ] || exit 0
for f in "$k"/*; do
    if [ -f "$f" ]; then
        mv -f -- "$f" "$d/" || exit 2
        echo "restored $d/${f##*/}"
    fi
done
rm -rf -- "$k" || exit 2
