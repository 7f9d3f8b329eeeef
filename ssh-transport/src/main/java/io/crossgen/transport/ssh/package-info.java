/**
 * The SSH transport: runs commands on {@code ssh://[user@]host[:port]} hosts over JSch
 * ({@code com.github.mwiede:jsch}).
 *
 * <p>Public API: {@link io.crossgen.transport.ssh.SshTransportProvider} (found by {@code ServiceLoader}),
 * {@link io.crossgen.transport.ssh.SshSettings}, {@link io.crossgen.transport.ssh.HostKeyPolicy},
 * {@link io.crossgen.transport.ssh.SshIdentity}. Everything else is package-private.
 *
 * <p>Design, in short:
 * <ul>
 *   <li><b>One session per connection.</b> A {@code Connection} holds one SSH session (one handshake) and
 *   runs every command in a channel of it, at most {@code maxChannels} at once (semaphore, default 8, below
 *   OpenSSH's {@code MaxSessions} 10 so that cancel has spare channels: at most 2 kills at once). A session found dead before a
 *   command is reopened; a command whose session dies while it runs ends {@code Exit.Unknown}.</li>
 *   <li><b>Host keys are ours to decide.</b> JSch runs with {@code StrictHostKeyChecking=yes} and a
 *   {@code HostKeyRepository} of ours, which reads known_hosts itself (hashed entries, {@code [host]:port},
 *   patterns, {@code @revoked}) so a refusal names host, key type, SHA256 fingerprint and the file:line that
 *   disagrees. The algorithm proposal lists the key types known for the host first, so a host known by its
 *   RSA key is not refused because it would have offered ECDSA first.</li>
 *   <li><b>Honest exits.</b> The exit is read after the channel closed (JSch closes it after delivering all
 *   data): exit-signal → {@code Signalled}, exit-status → {@code Exited}, neither → {@code Unknown}. Stream
 *   data goes into pipes of our own (growing to 8 MiB) instead of JSch's {@code PipedInputStream}s.</li>
 *   <li><b>Cancel kills the tree.</b> Commands are started through a small {@code sh} wrapper that makes the
 *   command the leader of its own process group without forking and reports the group id on a stderr line
 *   that the transport strips; cancel kills the group through a second channel (see {@code SshConnection};
 *   the pieces are {@code SessionChain}, {@code ExecChannels} and {@code ProcessGroupProtocol}).</li>
 *   <li><b>ProxyJump</b> hops are chained with {@code direct-tcpip} channels; each hop's key is verified.</li>
 * </ul>
 *
 * <p>Pointing it at real OpenSSH hosts (the testbed): give the settings an ssh_config file, a known_hosts file
 * and an identity, and address hosts by their ssh_config alias:
 * <pre>{@code
 * new SshTransportProvider(SshSettings.builder()
 *         .sshConfig(Path.of("testbed/ssh_config"))
 *         .knownHosts(Path.of("testbed/known_hosts"))
 *         .addIdentity(SshIdentity.of(Path.of("testbed/id_ed25519")))
 *         .agent(false).defaultIdentities(false)
 *         .build())
 *     .connect(Host.parse("ssh://builder"));
 * }</pre>
 */
package io.crossgen.transport.ssh;
