# shellcheck shell=sh
# crossgen's image locks on the MN. $1 the lock folder. Prints a block per lock: lock=DIR, its owner lines, end.
for l in "$1"/*; do
  [ -d "$l" ] || continue
  echo "lock=$l"
  cat "$l/owner" 2>/dev/null
  echo end
done
exit 0
