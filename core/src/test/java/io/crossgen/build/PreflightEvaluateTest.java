package io.crossgen.build;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PreflightEvaluateTest {
    private static final String GOOD = String.join("\n",
            "arch=ppc64le",
            "os.id=rhel",
            "os.id_like=fedora",
            "os.version_id=8.8",
            "os.pretty_name=Red Hat Enterprise Linux 8.8 (Ootpa)",
            "uid=0",
            "tool.perl=yes", "tool.tar=yes", "tool.cpio=yes", "tool.dnf=yes", "tool.yum=yes", "tool.flock=yes",
            "perl.DBI=yes", "perl.JSON=yes",
            "install.exists=no", "install.empty=yes",
            "install.mount=/ /dev/sda2 xfs rw,relatime", "");

    private final List<String> warnings = new ArrayList<>();

    private List<Preflight.Problem> evaluate(String facts, Mount mount) {
        return evaluate(facts, mount, "/install");
    }

    private List<Preflight.Problem> evaluate(String facts, Mount mount, String installdir) {
        return Preflight.evaluate(Preflight.parseFacts(facts), TargetOs.of("rhels8.8.0", "ppc64le"), mount, "xcatmn",
                installdir, warnings::add);
    }

    /** The facts of a builder whose /xcatinstall and /install are the given findmnt lines. */
    private static String site(String installdirMount, String installMount) {
        return GOOD.replace("install.mount=/ /dev/sda2 xfs rw,relatime", "install.mount=" + installMount
                + "\ninstalldir.exists=yes\ninstalldir.empty=no\ninstalldir.mount=" + installdirMount);
    }

    @Test
    void onASiteWhoseInstalldirIsAnotherFolderLocalFoldersAtBothPathsAreWarnedAbout() {
        String facts = site("/xcatinstall /dev/vda[/srv/x] ext4 rw", "/install /dev/vda[/srv/i] ext4 rw");
        assertEquals(List.of(), evaluate(facts, Mount.nfs(), "/xcatinstall"));
        assertEquals(List.of("/xcatinstall on the builder is a local file system (/dev/vda[/srv/x], ext4); the MN's"
                + " /xcatinstall is mounted on top of it for the build and unmounted after",
                "/install on the builder is a local file system (/dev/vda[/srv/i], ext4); the MN's /xcatinstall is"
                + " shown (a bind mount of /xcatinstall) on top of it for the build and unmounted after"), warnings);
    }

    @Test
    void onSuchASiteANonEmptyLocalInstallIsWarnedAboutAsToday() {
        String facts = site("/ /dev/sda2 xfs rw", "/ /dev/sda2 xfs rw").replace("install.empty=yes",
                "install.empty=no");
        assertEquals(List.of(), evaluate(facts, Mount.nfs(), "/xcatinstall"));
        assertEquals(List.of("/xcatinstall on the builder is a non-empty folder; the mount will hide its files",
                "/install on the builder is a non-empty folder; the mount will hide its files"), warnings);
    }

    @Test
    void onSuchASiteTheMnsInstallExportAtInstallIsRefusedAndItsInstalldirExportAtBothPathsPasses() {
        assertEquals(List.of(new Preflight.Problem("install", "/install on the builder is already a mount of"
                + " xcatmn:/install (nfs4), not of xcatmn:/xcatinstall; unmount it, or use Mount.none() if it is the"
                + " MN's /xcatinstall under another name")), evaluate(site("/ /dev/sda2 xfs rw",
                "/install xcatmn:/install nfs4 rw"), Mount.nfs(), "/xcatinstall"));
        assertEquals(List.of(), evaluate(site("/xcatinstall root@xcatmn:/xcatinstall fuse.sshfs rw",
                "/install root@xcatmn:/xcatinstall fuse.sshfs rw") + "\ntool.sshfs=yes", Mount.sshfs(),
                "/xcatinstall"));
    }

    @Test
    void onSuchASiteMountNoneNeedsBothFolders() {
        String facts = site("/ /dev/sda2 xfs rw", "/ /dev/sda2 xfs rw").replace("installdir.exists=yes",
                "installdir.exists=no");
        assertEquals(List.of(new Preflight.Problem("install", "/xcatinstall does not exist on the builder, but the"
                + " mount strategy is none; share the MN's /xcatinstall there, or use Mount.nfs() or Mount.sshfs()"),
                new Preflight.Problem("install", "/install does not exist on the builder, but the mount strategy is"
                + " none; share the MN's /xcatinstall there, or use Mount.nfs() or Mount.sshfs()")),
                evaluate(facts, Mount.none(), "/xcatinstall"));
    }

    @Test
    void matchingBuilderPassesEveryCheck() {
        assertEquals(List.of(), evaluate(GOOD, Mount.nfs()));
        assertEquals(List.of(), warnings);
    }

    @Test
    void flockIsNeededWhenTheStrategyMountsAndNotForMountNone() {
        String facts = GOOD.replace("tool.flock=yes", "tool.flock=no").replace("install.exists=no",
                "install.exists=yes");
        List<Preflight.Problem> problems = evaluate(facts, Mount.nfs());
        assertEquals(List.of("tools"), problems.stream().map(Preflight.Problem::check).toList());
        assertEquals("missing on the builder: flock; install them with the builder's package manager",
                problems.get(0).message());
        assertEquals(List.of(), evaluate(facts, Mount.none()));
    }

    @Test
    void everyFailedCheckIsReportedAtOnce() {
        String facts = String.join("\n", "arch=x86_64", "os.id=debian", "os.version_id=12", "uid=1000", "sudo=no",
                "tool.perl=yes", "tool.tar=yes", "tool.cpio=no", "tool.dnf=no", "tool.yum=no", "tool.sshfs=no",
                "perl.DBI=no", "perl.JSON=no", "install.exists=yes", "install.empty=no",
                "install.mount=/install 10.0.0.9:/export nfs4 rw");
        List<Preflight.Problem> problems = evaluate(facts, Mount.sshfs());
        assertEquals(List.of("arch", "os-release", "root", "tools", "perl-modules", "install"),
                problems.stream().map(Preflight.Problem::check).toList());
        assertEquals("the builder's machine is x86_64 but the image is for ppc64le; pick a builder of that"
                + " architecture", problems.get(0).message());
        assertEquals("the builder runs debian 12 but the image needs rh 8 (os-release ID one of almalinux, centos,"
                + " circle, cloudlinux, eurolinux, navylinux, ol, rhel, rocky, scientific); pick such a builder"
                + " (emulation lifts only the architecture: the OS release must be the image's)",
                problems.get(1).message());
        assertEquals("commands run as uid 1000 but genimage must run as root; log in as root, or give the user"
                + " passwordless sudo and add ?sudo=true to the builder's URI", problems.get(2).message());
        assertEquals("missing on the builder: cpio, dnf or yum, sshfs, flock; install them with the builder's package"
                + " manager", problems.get(3).message());
        assertEquals("the Perl module DBI is missing on the builder (xCAT's Perl libraries load it); install"
                + " perl-DBI (libdbi-perl on Ubuntu)", problems.get(4).message());
        assertEquals("/install on the builder is already a mount of 10.0.0.9:/export (nfs4), not of"
                + " xcatmn:/install; unmount it, or use Mount.none() if it is the MN's /install under another name",
                problems.get(5).message());
        assertEquals(List.of("the Perl module JSON is missing on the builder; xCAT 2.18 and later need it there:"
                + " install perl-JSON (libjson-perl on Ubuntu)"), warnings);
    }

    @Test
    void theMnsExportAlreadyMountedPasses() {
        String facts = GOOD.replace("install.mount=/ /dev/sda2 xfs rw,relatime",
                "install.mount=/install xcatmn:/install nfs4 rw,relatime,vers=4.2");
        assertEquals(List.of(), evaluate(facts, Mount.nfs()));
    }

    @Test
    void theMnsExportMountedReadOnlyFails() {
        String facts = GOOD.replace("install.mount=/ /dev/sda2 xfs rw,relatime",
                "install.mount=/install xcatmn:/install nfs4 ro,relatime");
        assertEquals(List.of(new Preflight.Problem("install", "/install on the builder is the MN's export but mounted"
                + " read-only (ro,relatime); remount it read-write")), evaluate(facts, Mount.nfs()));
    }

    @Test
    void aLocalFileSystemAtInstallIsNoObstacleTheExportIsStackedOnIt() {
        String facts = GOOD.replace("install.mount=/ /dev/sda2 xfs rw,relatime",
                "install.mount=/install /dev/vda[/srv/builder/install] ext4 rw,relatime");
        assertEquals(List.of(), evaluate(facts, Mount.nfs()));
        assertEquals(List.of("/install on the builder is a local file system (/dev/vda[/srv/builder/install], ext4);"
                + " the MN's /install is mounted on top of it for the build and unmounted after"), warnings);
    }

    @Test
    void anotherServersExportAtInstallFails() {
        String facts = GOOD.replace("install.mount=/ /dev/sda2 xfs rw,relatime",
                "install.mount=/install otherserver:/export/install nfs4 rw,relatime");
        assertEquals(List.of(new Preflight.Problem("install", "/install on the builder is already a mount of"
                + " otherserver:/export/install (nfs4), not of xcatmn:/install; unmount it, or use Mount.none() if it"
                + " is the MN's /install under another name")), evaluate(facts, Mount.nfs()));
    }

    @Test
    void sudoThatWorksIsSuggested() {
        String facts = GOOD.replace("uid=0", "uid=1000\nsudo=yes");
        assertEquals(List.of(new Preflight.Problem("root", "commands run as uid 1000 but genimage must run as root;"
                + " sudo -n works there: add ?sudo=true to the builder's URI")), evaluate(facts, Mount.nfs()));
    }

    @Test
    void mountNoneNeedsAnInstallFolder() {
        assertEquals(List.of(new Preflight.Problem("install", "/install does not exist on the builder, but the mount"
                + " strategy is none; share the MN's /install there, or use Mount.nfs() or Mount.sshfs()")),
                evaluate(GOOD, Mount.none()));
    }

    @Test
    void factsAreKeyValueLines() {
        assertEquals(Map.of("a", "1", "b", "x=y"), Preflight.parseFacts("a=1\nnoise\nb=x=y\n"));
    }
}
