# Checks what packimage made in place (no stage): $1 the archive, $2 the rootimgdir.
# Exits 1 with "missing or empty: ARCHIVE" when the archive is missing or empty; prints "missing: FILE" for a
# missing kernel or initrd-stateless.gz (a warning) and exits 0 otherwise.
test -s "$1" || { echo "missing or empty: $1"; exit 1; }
for f in kernel initrd-stateless.gz; do test -s "$2/$f" || echo "missing: $2/$f"; done
exit 0
