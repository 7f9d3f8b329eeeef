package io.crossgen.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.crossgen.build.Inventory.Package;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The package inventory: the formats {@code inventory.sh} asks rpm and dpkg-query for, and a real dpkg-query. */
class InventoryTest {
    @TempDir
    Path tmp;

    @Test
    void rpmLinesGiveNameEpochVersionReleaseAndArchSortedByName() {
        // rpm -qa --qf '%{NAME}\t%|EPOCH?{%{EPOCH}:}:{}|%{VERSION}-%{RELEASE}\t%{ARCH}\n' on a RHEL 8 tree
        Inventory i = Inventory.parse("rpm\nvim-minimal\t2:8.0.1763-19.el8_6.4\tppc64le\nbash\t4.4.20-4.el8_6"
                + "\tppc64le\ngpg-pubkey\t8483c65d-5ccc5b19\t(none)\n");
        assertEquals(new Inventory("rpm", List.of(new Package("bash", "4.4.20-4.el8_6", "ppc64le"),
                new Package("gpg-pubkey", "8483c65d-5ccc5b19", "(none)"),
                new Package("vim-minimal", "2:8.0.1763-19.el8_6.4", "ppc64le"))), i);
    }

    @Test
    void aTreeWithNeitherDatabaseGivesNone() {
        assertEquals(new Inventory("none", List.of()), Inventory.parse("none\n"));
    }

    @Test
    void aLineWithoutThreeFieldsIsRefusedNamingIt() {
        assertEquals("package inventory line 2 is not name, version and arch separated by tabs: bash 5.1",
                assertThrows(BuildException.class, () -> Inventory.parse("dpkg\nbash 5.1\n")).getMessage());
    }

    @Test
    void theScriptListsTheInstalledPackagesOfARealDpkgStatusFileWithDpkgQuery() throws Exception {
        Path root = tmp.resolve("rootimg");
        Path admin = Files.createDirectories(root.resolve("var/lib/dpkg"));
        Files.createDirectories(admin.resolve("info"));
        Files.createDirectories(admin.resolve("updates"));
        Files.writeString(admin.resolve("status"), String.join("\n",
                "Package: openssh-server", "Status: install ok installed", "Maintainer: Debian", "Version: 1:9.2p1-2",
                "Architecture: arm64", "Description: secure shell server", "",
                "Package: bash", "Status: install ok installed", "Maintainer: Debian", "Version: 5.2.15-2+b2",
                "Architecture: arm64", "Description: GNU Bourne Again SHell", "",
                "Package: gone", "Status: deinstall ok config-files", "Maintainer: Debian", "Version: 1.0",
                "Architecture: arm64", "Description: removed, its conffiles kept", "", ""));

        RealShell.Result r = RealShell.run(Inventory.command(root.toString()));

        assertEquals(0, r.exit(), r.stderr());
        assertEquals(new Inventory("dpkg", List.of(new Package("bash", "5.2.15-2+b2", "arm64"),
                new Package("openssh-server", "1:9.2p1-2", "arm64"))),
                Inventory.parse(r.stdout()));
    }

    @Test
    void theScriptSaysNoneForATreeWithoutADatabase() throws Exception {
        Files.createDirectories(tmp.resolve("rootimg/etc"));
        assertEquals(new RealShell.Result(0, "none\n", ""), RealShell.run(Inventory.command(tmp.resolve("rootimg")
                .toString())));
    }
}
