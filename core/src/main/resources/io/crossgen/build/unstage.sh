# Undoes stage.sh after a failed or cancelled build: the image tree goes back to rootimgdir $1 and the stage
# $2, with whatever genimage or packimage left in it, is removed. The archive, kernel and initrd-* in $1 were
# never touched. Nothing to do when the stage was promoted.
d=$1
s=$2
[ -d "$s" ] || exit 0
if [ -d "$s/rootimg" ] && [ ! -e "$d/rootimg" ]; then
    mv -- "$s/rootimg" "$d/rootimg" || exit 2
    echo "put the image tree back in $d/rootimg"
fi
rm -rf -- "$s" || exit 2
echo "removed the stage $s"
