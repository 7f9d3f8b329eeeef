# Follows the log of a detached run (see detached-start.sh) from an offset, waiting a little for news.
# $1 the run folder, $2 the offset in bytes, $3 seconds to wait for news, $4 the most bytes to print.
# Prints "crossgen-follow rc=RC alive=yes|no end=END size=SIZE" (RC empty while it runs), then the log's bytes
# from the offset up to END. Exits 0.
d=$1; off=$2; wait=$3; max=$4; i=0
while [ ! -e "$d/rc" ] && [ "$i" -lt "$wait" ]; do
  s=$(stat -c %s "$d/log" 2>/dev/null || echo 0)
  [ "$s" -gt "$off" ] && break
  sleep 1; i=$((i + 1))
done
rc=$(cat "$d/rc" 2>/dev/null)
alive=no; p=$(cat "$d/pid" 2>/dev/null); [ -n "$p" ] && kill -0 "$p" 2>/dev/null && alive=yes
s=$(stat -c %s "$d/log" 2>/dev/null || echo 0)
end=$s; [ $((end - off)) -gt "$max" ] && end=$((off + max))
echo "crossgen-follow rc=$rc alive=$alive end=$end size=$s"
[ "$end" -gt "$off" ] && tail -c +$((off + 1)) "$d/log" | head -c $((end - off))
exit 0
