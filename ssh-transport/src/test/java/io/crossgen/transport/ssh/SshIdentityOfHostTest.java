package io.crossgen.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.crossgen.transport.Host;
import io.crossgen.transport.Transports;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which machine and account an ssh:// URI reaches, as a builder pool tells builders apart. */
class SshIdentityOfHostTest {

    @Test
    void aUriWithoutUserOrPortIsTheSameBuilderAsOneWithTheDefaults(@TempDir Path home) {
        Transports t = Transports.of(new SshTransportProvider(SshSettings.builder().home(home).defaultUser("root")
                .sshConfig(null).build()));

        assertEquals("ssh://root@n1:22", t.identity(Host.parse("ssh://n1")));
        assertEquals("ssh://root@n1:22", t.identity(Host.parse("ssh://root@n1:22?sudo=false")));
        assertNotEquals(t.identity(Host.parse("ssh://n1")), t.identity(Host.parse("ssh://admin@n1")));
        assertNotEquals(t.identity(Host.parse("ssh://n1")), t.identity(Host.parse("ssh://n1:2222")));
    }

    @Test
    void anSshConfigAliasIsTheHostAndUserItResolvesTo(@TempDir Path home) throws Exception {
        Path config = home.resolve("ssh_config");
        Files.writeString(config, "Host p9a\n  HostName p9node01.cluster\n  User admin\n  Port 2222\n");
        Transports t = Transports.of(new SshTransportProvider(SshSettings.builder().home(home).defaultUser("root")
                .sshConfig(config).build()));

        assertEquals("ssh://admin@p9node01.cluster:2222", t.identity(Host.parse("ssh://p9a")));
        assertEquals(t.identity(Host.parse("ssh://p9a")),
                t.identity(Host.parse("ssh://admin@p9node01.cluster:2222")));
    }

    @Test
    void aSchemeNoTransportServesIsItsUriAsWrittenWithoutOptions() {
        assertEquals("kubectl://root@pod1", Transports.of().identity(Host.parse("kubectl://root@pod1?ns=x")));
    }
}
