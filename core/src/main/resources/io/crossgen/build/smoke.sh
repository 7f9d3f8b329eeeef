# The smoke check after genimage, on the builder: runs the image's own binaries under chroot. $1 is the
# rootimg. true must exit 0; then uname -m inside says which machine the image's binaries see (under qemu-user,
# the emulated one). Prints "machine=VALUE"; a binary that cannot run ends the script with its exit status and
# chroot's message on stderr.
root=$1
if [ ! -x "$root/usr/bin/true" ]; then
    echo "$root/usr/bin/true is missing or not executable" >&2
    exit 2
fi
chroot "$root" /usr/bin/true || exit $?
# While it installs otherpkgs, xCAT's rh genimage swaps bin/uname for a script that prints the image's arch and
# keeps the real one as bin/uname-binary: a run that died there leaves the script; ask the real binary.
u=/usr/bin/uname
if [ -x "$root/bin/uname-binary" ]; then
    u=/bin/uname-binary
elif [ ! -x "$root/usr/bin/uname" ] && [ -x "$root/bin/uname" ]; then
    u=/bin/uname
fi
m=$(chroot "$root" "$u" -m) || exit $?
printf 'machine=%s\n' "$m"
