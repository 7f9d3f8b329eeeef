package io.crossgen.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MountPointTest {

    @Test
    void findmntLineIsReadWithEscapesDecoded() {
        MountPoint m = MountPoint.parse("/mnt/my\\x20dir root@xcatmn:/install/ fuse.sshfs rw,nosuid").orElseThrow();
        assertEquals(new MountPoint("/mnt/my dir", "root@xcatmn:/install/", "fuse.sshfs", "rw,nosuid"), m);
        assertEquals("xcatmn:/install", m.remote());
        assertTrue(m.readWrite());
    }

    @Test
    void blankLineIsNoMount() {
        assertEquals(Optional.empty(), MountPoint.parse("  "));
    }

    @Test
    void stackedMountsKeepTheirOrder() {
        List<MountPoint> all = MountPoint.parseAll("/install /dev/sdb1 ext4 rw\n/install xcatmn:/install nfs ro\n");
        assertEquals(2, all.size());
        assertEquals("xcatmn:/install", all.get(1).source());
        assertFalse(all.get(1).readWrite());
    }

    @Test
    void nfsAndSshfsRecogniseTheirOwnMountOfTheMn() {
        MountPoint nfs = new MountPoint("/install", "xcatmn:/install", "nfs4", "rw");
        MountPoint sshfs = new MountPoint("/install", "root@xcatmn:/install", "fuse.sshfs", "rw");
        MountPoint other = new MountPoint("/install", "storage:/install", "nfs4", "rw");
        assertTrue(Mount.nfs().isMountOf(nfs, "xcatmn", "/install"));
        assertTrue(Mount.sshfs().isMountOf(sshfs, "xcatmn", "/install"));
        assertTrue(Mount.nfs().isMountOf(sshfs, "xcatmn", "/install"));
        assertFalse(Mount.nfs().isMountOf(other, "xcatmn", "/install"));
    }

    @Test
    void strategiesSpellTheirCommands() {
        assertEquals("[mkdir -p /install, mount -t nfs -o rw xcatmn:/install /install]",
                Mount.nfs().mountCommands("xcatmn", "/install").toString());
        assertEquals("[mkdir -p /install, sshfs root@xcatmn:/install /install -o"
                + " reconnect,ServerAliveInterval=15,BatchMode=yes,sshfs_sync]",
                Mount.sshfs().mountCommands("xcatmn", "/install").toString());
        assertEquals(List.of(), Mount.none().mountCommands("xcatmn", "/install"));
    }
}
