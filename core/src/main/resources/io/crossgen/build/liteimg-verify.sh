# Checks what nodes of statelite rootimgdir $1 boot after liteimg: kernel and initrd-statelite.gz non-empty, and
# the .statelite tree liteimg builds in rootimg/. Prints one line per missing piece; always exits 0.
for f in kernel initrd-statelite.gz; do
    test -s "$1/$f" || echo "missing or empty: $1/$f"
done
test -d "$1/rootimg/.statelite" || echo "missing: $1/rootimg/.statelite"
exit 0
