package io.crossgen.transport.ssh;

/**
 * How a host's key is verified before anything is sent to it.
 *
 * <p>Every policy fails before authentication, so no credential and no command ever reaches a host whose
 * key was refused. Every hop of a ProxyJump chain is verified with the same policy.
 *
 * <pre>{@code
 * SshSettings s = SshSettings.builder().hostKeyPolicy(HostKeyPolicy.ACCEPT_NEW).build();
 * }</pre>
 */
public enum HostKeyPolicy {
    /**
     * The default: the key must be listed for the host in the known_hosts file; an unknown or changed key is
     * refused.
     */
    STRICT,
    /**
     * Like {@link #STRICT}, but a host with no key at all in known_hosts is trusted on first contact and its
     * key appended to the file. A changed key, or a key of a type other than the ones known for the host, is
     * still refused.
     */
    ACCEPT_NEW,
    /**
     * The key's SHA256 fingerprint must equal the one pinned for the host ({@code SHA256:base64}, as
     * {@code ssh-keygen -lf} prints it); known_hosts is not read. See {@link SshSettings#pins()}.
     */
    PINNED,
    /**
     * Any key is accepted, and a warning is logged at every connection. Only for throw-away test hosts: this
     * lets anyone on the network path read and change everything, including what runs as root.
     */
    INSECURE_ACCEPT_ANY
}
