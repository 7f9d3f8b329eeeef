#!/usr/bin/env bash
# The manual mixed-OS procedure of xCAT's documentation, step for step, as a plain script over ssh from the
# controller: what crossgen automates. Arguments: ssh_config, source osimage, new osimage.
# The new image gets a rootimgdir of its own (the documented sed keeps the source's), as crossgen's does.
set -euo pipefail
cfg=$1 src=$2 new=$3
mn() { ssh -n -F "$cfg" xcatmn "$@"; }
builder() { ssh -n -F "$cfg" builder "$@"; }

# 1. Copy the osimage definition under the new name.
mn "lsdef -t osimage -z $src | sed -e 's/^$src:/$new:/' -e 's|^\\(    rootimgdir=.*\\)/[^/]*\$|\\1/$new|' | mkdef -z -f"
# 2. Ask genimage for the command line the builder must run.
line=$(mn genimage --dryrun "$new" | tail -n 1)
# 3. Mount the MN's /install on the builder.
builder mount xcatmn:/install /install
trap 'builder umount /install' ERR
# 4. Copy the netboot tree and the xCAT Perl libraries to the builder.
builder "ssh -n xcatmn tar -c -f - -C /opt/xcat share/xcat/netboot lib/perl | tar -x -f - -C /opt/xcat"
# 5. Run the printed genimage line on the builder.
builder "$line"
# 6. Unmount /install.
trap - ERR
builder umount /install
# 7. Pack the image on the MN.
mn packimage "$new"
