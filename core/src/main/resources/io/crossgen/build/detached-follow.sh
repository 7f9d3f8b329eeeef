# shellcheck shell=sh
# Follows the log of a detached run (see detached-start.sh) from an offset, waiting a little for news.
# $1 the run folder, $2 the offset in bytes, $3 seconds to wait for news, $4 the most bytes to print, $5 the
# milliseconds to keep gathering once news came (0: answer at once; the end of the run always answers at once).
# Prints "crossgen-follow rc=RC alive=yes|no end=END size=SIZE" (RC empty while it runs), then the log's bytes
# from the offset up to END. Exits 0.
#
# The wait is a sleep that starts at 100 ms and doubles up to 1 s while nothing happens, so a run that ends (or
# prints) soon is seen soon, and a quiet run of hours costs about one stat a second; once news came, it looks
# every 150 ms at most until the settle time is over or the run ended. Fractional seconds are not
# POSIX `sleep`; GNU coreutils and busybox accept them. When `sleep` refuses one, the wait falls back to whole
# seconds for the rest of this call.
d=$1; off=$2; limit=$(($3 * 1000)); max=$4; settle=${5:-0}
waited=0; step=100; news=; fine=yes
nap() {
  if [ "$fine" = yes ]; then
    sleep "$(($1 / 1000)).$(printf %03d $(($1 % 1000)))" 2>/dev/null && return 0
    fine=no
  fi
  sleep 1; waited=$((waited + 1000 - $1))
}
while [ ! -e "$d/rc" ] && [ "$waited" -lt "$limit" ]; do
  s=$(stat -c %s "$d/log" 2>/dev/null || echo 0)
  if [ "$s" -gt "$off" ]; then
    [ -n "$news" ] || news=$waited
    { [ $((waited - news)) -ge "$settle" ] || [ $((s - off)) -ge "$max" ]; } && break
    step=$((settle - (waited - news))); [ "$step" -gt 150 ] && step=150
  fi
  nap "$step"; waited=$((waited + step))
  [ "$step" -lt 1000 ] && step=$((step * 2)); [ "$step" -gt 1000 ] && step=1000
done
rc=; [ -e "$d/rc" ] && read -r rc < "$d/rc"
alive=no; p=; [ -e "$d/pid" ] && read -r p < "$d/pid"; [ -n "$p" ] && kill -0 "$p" 2>/dev/null && alive=yes
s=$(stat -c %s "$d/log" 2>/dev/null || echo 0)
end=$s; [ $((end - off)) -gt "$max" ] && end=$((off + max))
echo "crossgen-follow rc=$rc alive=$alive end=$end size=$s"
[ "$end" -gt "$off" ] && tail -c +$((off + 1)) "$d/log" | head -c $((end - off))
exit 0
