# shellcheck shell=sh
# probe CONTENT PATH...: writes CONTENT to each PATH (MountInstall's probe files, read back on the MN). Prints
# probe=written, or, at the first write that fails (the shell's message on stderr), removes the ones written
# before, prints probe=failed and probe-path=PATH, and returns 1.
probe() {
  pc=$1; shift
  for pp in "$@"; do
    if ! printf '%s\n' "$pc" > "$pp"; then
      for pq in "$@"; do [ "$pq" = "$pp" ] && break; rm -f -- "$pq"; done
      echo probe=failed; printf 'probe-path=%s\n' "$pp"; return 1
    fi
  done
  echo probe=written
}
