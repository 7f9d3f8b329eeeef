# Shared by testbed/up and testbed/down. Not executable on its own.
TESTBED_DIR=${TESTBED_DIR:-/tmp/testbed}
HOSTS=(xcatmn builder)

die() {
    echo "testbed: $*" >&2
    exit 1
}

host_ip() {
    case "$1" in
        xcatmn) echo 10.77.0.1 ;;
        builder) echo 10.77.0.2 ;;
        *) die "unknown host $1" ;;
    esac
}

# A pid we started: alive, sshd, and in the host's network namespace.
our_sshd_pid() {
    local host=$1 pidfile="$TESTBED_DIR/$1/sshd.pid" pid
    [ -s "$pidfile" ] || return 1
    pid=$(cat "$pidfile")
    [ -d "/proc/$pid" ] || return 1
    [ "$(readlink "/proc/$pid/exe")" = /usr/sbin/sshd ] || return 1
    [ "$(readlink "/proc/$pid/ns/net")" = "$(ip netns exec "xt-$host" readlink /proc/self/ns/net 2>/dev/null)" ] || return 1
    echo "$pid"
}

testbed_healthy() {
    [ -f "$TESTBED_DIR/up.ok" ] || return 1
    for host in "${HOSTS[@]}"; do
        our_sshd_pid "$host" >/dev/null || return 1
    done
    ssh -F "$TESTBED_DIR/ssh_config" -o ConnectTimeout=3 xcatmn true 2>/dev/null
}

write_env() {
    cat > "$TESTBED_DIR/ssh_config" <<CFG
Host xcatmn
    HostName 10.77.0.1
Host builder
    HostName 10.77.0.2
Host *
    User root
    IdentityFile $TESTBED_DIR/controller_key
    IdentitiesOnly yes
    UserKnownHostsFile $TESTBED_DIR/known_hosts
    StrictHostKeyChecking yes
    BatchMode yes
    ConnectTimeout 5
CFG
    cat > "$TESTBED_DIR/testbed.env" <<ENV
TESTBED_DIR=$TESTBED_DIR
TESTBED_MN=10.77.0.1
TESTBED_BUILDER=10.77.0.2
TESTBED_CONTROLLER=10.77.0.254
TESTBED_KEY=$TESTBED_DIR/controller_key
TESTBED_KNOWN_HOSTS=$TESTBED_DIR/known_hosts
TESTBED_SSH_CONFIG=$TESTBED_DIR/ssh_config
TESTBED_MN_FS=$TESTBED_DIR/xcatmn/fs
TESTBED_BUILDER_FS=$TESTBED_DIR/builder/fs
ENV
}
