# shellcheck shell=sh
# On the MN: reads each probe file the builder wrote ($1 the content it holds, then the paths, as the MN sees
# them) and removes those that hold it: probe.N=seen (and removed), probe.N=kept (seen, but rm failed),
# probe.N=other (another content: not ours, kept) or probe.N=missing (cat's message on stderr) for the N-th path.
# Exit 1 unless every one was seen.
pc=$1; shift
i=0; rc=0
for pp in "$@"; do
  i=$((i + 1))
  if ! c=$(cat -- "$pp"); then echo "probe.$i=missing"; rc=1
  elif [ "$c" != "$pc" ]; then echo "probe.$i=other"; rc=1
  elif rm -f -- "$pp"; then echo "probe.$i=seen"
  else echo "probe.$i=kept"
  fi
done
exit "$rc"
