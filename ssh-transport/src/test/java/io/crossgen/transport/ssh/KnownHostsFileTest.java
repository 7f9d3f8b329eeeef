package io.crossgen.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnownHostsFileTest {
    @TempDir
    Path dir;

    @Test
    void patternsFollowOpenSshRules() {
        assertTrue(KnownHostsFile.hostsMatch("node01,node02", "node02"));
        assertTrue(KnownHostsFile.hostsMatch("*.cluster", "n1.cluster"));
        assertTrue(KnownHostsFile.hostsMatch("n?.cluster", "n1.cluster"));
        assertFalse(KnownHostsFile.hostsMatch("n?.cluster", "n10.cluster"));
        assertFalse(KnownHostsFile.hostsMatch("*.cluster,!mn.cluster", "mn.cluster"));
        assertTrue(KnownHostsFile.hostsMatch("[node01]:2222", "[node01]:2222"));
        assertFalse(KnownHostsFile.hostsMatch("node01", "[node01]:2222"));
        assertTrue(KnownHostsFile.hostsMatch("NODE01", "node01"));
    }

    @Test
    void knownHostsNamesCarryThePortUnlessItIs22() {
        assertEquals("node01", KnownHostsFile.hostName("node01", 22));
        assertEquals("[node01]:2222", KnownHostsFile.hostName("node01", 2222));
    }

    @Test
    void linesAreNumberedAndMarkersKept() throws Exception {
        Path f = dir.resolve("known_hosts");
        Files.write(f, List.of("# comment", "", "node01 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB8=",
                "@revoked node01 ssh-rsa AAAAB3NzaC1yc2E=", "@cert-authority *.x ssh-rsa AAAAB3NzaC1yc2E=",
                "garbage", "node01 ssh-rsa !!notbase64"));
        List<KnownHostsFile.Entry> found = KnownHostsFile.read(f).matching("node01");
        assertEquals(2, found.size());
        assertEquals(3, found.get(0).line());
        assertEquals("ssh-ed25519", found.get(0).keyType());
        assertEquals(4, found.get(1).line());
        assertTrue(found.get(1).revoked());
    }

    @Test
    void aMissingFileIsEmpty() {
        assertEquals(List.of(), KnownHostsFile.read(dir.resolve("none")).matching("node01"));
    }

    @Test
    void knownKeyTypesComeFirstInTheProposal() {
        String proposal = "ssh-ed25519,ecdsa-sha2-nistp256,rsa-sha2-512,rsa-sha2-256";
        assertEquals("rsa-sha2-512,rsa-sha2-256,ssh-ed25519,ecdsa-sha2-nistp256",
                KnownHostsFile.preferKnownTypes(proposal, List.of("ssh-rsa")));
        assertEquals("ssh-ed25519,ecdsa-sha2-nistp256,rsa-sha2-512,rsa-sha2-256",
                KnownHostsFile.preferKnownTypes(proposal, List.of("ecdsa-sha2-nistp256", "ssh-ed25519")));
        assertEquals(proposal, KnownHostsFile.preferKnownTypes(proposal, List.of()));
    }
}
