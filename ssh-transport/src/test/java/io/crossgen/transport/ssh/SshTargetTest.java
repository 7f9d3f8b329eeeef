package io.crossgen.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.crossgen.transport.Host;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SshTargetTest {
    private static final Path HOME = Path.of("/home/op");
    private static final SshSettings SETTINGS = SshSettings.builder().home(HOME).defaultUser("op").sshConfig(null)
            .build();

    private static SshTarget resolve(String uri, String... config) {
        return SshTarget.resolve(Host.parse(uri), SETTINGS, SshConfigFile.parse(List.of(config), "ssh_config"));
    }

    @Test
    void aBareHostUsesTheDefaults() {
        SshTarget t = resolve("ssh://node01");
        assertEquals("op@node01:22", t.label());
        assertEquals("node01", t.knownHostsName());
        assertEquals(List.of(), t.identityFiles());
        assertEquals(List.of(), t.jumps());
        assertEquals(HOME.resolve(".ssh/known_hosts"), t.knownHosts());
    }

    @Test
    void sshConfigAliasesPatternsAndFirstValueWins() {
        String[] config = {
            "Host p9*", "  HostName %h.cluster", "  User root", "  Port 2222", "  IdentityFile ~/.ssh/p9_%r",
            "Host p9node01", "  User admin", "  Port=22",
            "Host *", "  IdentityFile %d/.ssh/fallback", "  User nobody"};
        SshTarget t = resolve("ssh://p9node01", config);
        assertEquals("root@p9node01.cluster:2222", t.label());
        assertEquals("[p9node01.cluster]:2222", t.knownHostsName());
        assertEquals(List.of(HOME.resolve(".ssh/p9_root"), HOME.resolve(".ssh/fallback")), t.identityFiles());
    }

    @Test
    void theUriWinsOverSshConfig() {
        SshTarget t = resolve("ssh://admin@p9node01:2200?identity=/keys/a&knownHosts=/kh", "Host p9node01",
                "  User root", "  Port 2222", "  IdentityFile /keys/b");
        assertEquals("admin@p9node01:2200", t.label());
        assertEquals(List.of(Path.of("/keys/a"), Path.of("/keys/b")), t.identityFiles());
        assertEquals(Path.of("/kh"), t.knownHosts());
    }

    @Test
    void aLoneNegatedPatternMatchesNothing() {
        assertEquals("op@other:22", resolve("ssh://other", "Host !node01", "  User root").label());
    }

    @Test
    void proxyJumpChainsResolveEachHopThroughSshConfig() {
        String[] config = {
            "Host builder", "  ProxyJump gw2", "Host gw2", "  HostName 10.0.0.2", "  ProxyJump root@gw1:2201",
            "Host gw1", "  HostName 10.0.0.1"};
        SshTarget t = resolve("ssh://builder", config);
        assertEquals(List.of("root@10.0.0.1:2201", "op@10.0.0.2:22"), t.jumps().stream().map(SshTarget::label)
                .toList());
        assertEquals("op@10.0.0.9:22", resolve("ssh://10.0.0.9?jump=none", config).label());
        assertEquals(List.of("a@::1:2022"), resolve("ssh://x?jump=a@[::1]:2022")
                .jumps().stream().map(SshTarget::label).toList());
    }

    @Test
    void aProxyJumpLoopIsReported() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> resolve("ssh://a", "Host a", "  ProxyJump b", "Host b", "  ProxyJump a"));
        assertEquals("ProxyJump chain to b is longer than 8 hops (a loop in ssh_config?)", e.getMessage());
    }

    @Test
    void pinsComeFromTheUriOrTheSettings() {
        String fp = "SHA256:" + "A".repeat(43);
        assertEquals(Optional.of(fp), resolve("ssh://n1?fingerprint=" + fp).pin());
        SshSettings pinned = SETTINGS.toBuilder().pin("n1", fp).build();
        assertEquals(Optional.of(fp), SshTarget.resolve(Host.parse("ssh://n1"), pinned, SshConfigFile.EMPTY).pin());
        assertThrows(IllegalArgumentException.class, () -> resolve("ssh://n1?fingerprint=MD5:00"));
    }

    @Test
    void unknownUriOptionsAreIgnored() {
        assertEquals("op@n1:22", resolve("ssh://n1?sudo=true&colour=blue").label());
    }
}
