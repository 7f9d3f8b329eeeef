# Prints "<sha256>  <path>" for every argument that is a readable file and "missing  <path>" for any other.
# An argument ending in "/" is a package repository: its repodata/repomd.xml (rpm) and every dists/*/Release
# (Debian) are hashed instead, "missing  <path>" when it has neither.
hash() {
    if [ -f "$1" ] && [ -r "$1" ]; then
        sha256sum -- "$1" || exit 2
    else
        printf 'missing  %s\n' "$1"
    fi
}
for p in "$@"; do
    case $p in
        */)
            found=0
            for f in "${p}repodata/repomd.xml" "${p}"dists/*/Release; do
                if [ -f "$f" ]; then
                    hash "$f"
                    found=1
                fi
            done
            [ "$found" = 1 ] || printf 'missing  %s\n' "$p"
            ;;
        *)
            hash "$p"
            ;;
    esac
done
exit 0
