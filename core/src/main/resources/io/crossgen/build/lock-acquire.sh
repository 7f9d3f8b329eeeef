# shellcheck shell=sh
# Takes crossgen's lock on an image folder: the folder $1, made with mkdir (atomic), holding the owner lines $2.
# $3, when not empty, is the run id of a run that is resumed: its lock is taken over (the owner rewritten) when
# it still names that run. Prints acquired or taken-over (exit 0), or held and the owner's lines (exit 3).
d=$1; owner=$2; takeover=$3
mkdir -p "$(dirname "$d")" || exit 2
if mkdir "$d" 2>/dev/null; then printf '%s\n' "$owner" > "$d/owner"; echo acquired; exit 0; fi
if [ -n "$takeover" ] && grep -qx "run=$takeover" "$d/owner" 2>/dev/null; then
  printf '%s\n' "$owner" > "$d/owner.tmp" && mv "$d/owner.tmp" "$d/owner" && { echo taken-over; exit 0; }
fi
echo held
cat "$d/owner" 2>/dev/null
exit 3
