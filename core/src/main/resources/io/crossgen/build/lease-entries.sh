# shellcheck shell=sh
# entries DIR: prints each run registered in the /install lease folder DIR as a block: entry=RUN, the entry's
# owner lines (key=value), genimage=running|gone|none (its detached genimage, by pid and start time), end.
entries() {
  for f in "$1/users"/*; do
    [ -e "$f" ] || continue
    echo "entry=${f##*/}"
    cat "$f"
    p=$(sed -n 's/^genimage-pid=//p' "$f"); t=$(sed -n 's/^genimage-start=//p' "$f")
    if [ -z "$p" ]; then echo genimage=none; elif alive "$p" "$t"; then echo genimage=running; else echo genimage=gone; fi
    echo end
  done
}
