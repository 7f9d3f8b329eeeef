# shellcheck shell=sh
# MountInstall's probe with Mount.none() (nothing to mount, no lease): $1 the content, then the paths.
probe "$@" || exit 1
