# shellcheck shell=sh
# $1 the /install lease folder: prints its entries (see entries).
entries "$1"
