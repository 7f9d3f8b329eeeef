# Lists the folders named as arguments, sorted: one "E<TAB>path<TAB>type<TAB>size<TAB>mtime<TAB>mode<TAB>link"
# line per entry (find's %p %y %s %T@ %m %l), and with $1 = sums one "H<TAB>sha256<TAB>path" line per file.
# $1 sums or nosums, then the folders; a folder that does not exist lists nothing.
mode=$1; shift
for d in "$@"; do
  if [ -d "$d" ]; then
    find "$d" -printf 'E\t%p\t%y\t%s\t%T@\t%m\t%l\n'
    if [ "$mode" = sums ]; then find "$d" -type f -exec sha256sum {} + | sed 's/^/H\t/'; fi
  fi
done | LC_ALL=C sort
