# Prints "<sha256>  <name>" for the boot files in the image folder $1: the archive $2 (or, when $2 is
# "rootimg/", the digest of the tree's listing: path, type, size, mode, link target, sorted), then kernel and
# every initrd-* that is there.
d=$1
a=$2
cd -- "$d" || exit 2
if [ "$a" = rootimg/ ]; then
    sum=$(find rootimg -printf '%p\t%y\t%s\t%m\t%l\n' | LC_ALL=C sort | sha256sum) || exit 2
    echo "${sum%% *}  rootimg/"
else
    sha256sum -- "$a" || exit 2
fi
for f in kernel initrd-*; do
    if [ -f "$f" ]; then
        sha256sum -- "$f" || exit 2
    fi
done
exit 0
