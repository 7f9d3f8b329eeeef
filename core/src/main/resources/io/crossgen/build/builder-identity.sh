# Prints what identifies this host, one key=value line each: hostname, arch, os (PRETTY_NAME of
# /etc/os-release), and one host-key line per SSH host key (its SHA256 fingerprint as ssh-keygen prints it).
echo "hostname=$(hostname)"
echo "arch=$(uname -m)"
if [ -r /etc/os-release ]; then
    # shellcheck disable=SC1091
    echo "os=$(. /etc/os-release && echo "$PRETTY_NAME")"
fi
for k in /etc/ssh/ssh_host_*_key.pub; do
    if [ -f "$k" ] && command -v ssh-keygen >/dev/null 2>&1; then
        echo "host-key=$(ssh-keygen -l -f "$k" | awk '{print $2 " " $NF}')"
    fi
done
exit 0
