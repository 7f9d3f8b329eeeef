package io.crossgen.build;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestTest {
    private static final String MN = String.join("\n",
            "E\t/n\td\t4096\t1700000000.5\t755\t",
            "E\t/n/rh\td\t4096\t1700000000.5\t755\t",
            "E\t/n/rh/genimage\tf\t1000\t1700000001.9\t755\t",
            "E\t/n/centos\td\t4096\t1700000000.5\t755\t",
            "E\t/n/centos/genimage\tl\t12\t1700000000.0\t777\t../rh/genimage",
            "E\t/n/sle\tl\t30\t1700000000.0\t777\t/opt/xcat/share/xcat/netboot/sles",
            "E\t/n/new.pkglist\tf\t10\t1700000005.0\t644\t", "");

    @Test
    void identicalTreesNeedNothing() {
        Manifest m = Manifest.parse(MN);
        Manifest.Diff d = m.diff(Manifest.parse(MN), false);
        assertEquals(List.of(), d.copy());
        assertEquals(List.of(), d.vanished());
    }

    @Test
    void onlyWhatDiffersIsCopiedAndVanishedPathsAreListed() {
        String builder = String.join("\n",
                "E\t/n\td\t4096\t1690000000.0\t755\t",
                "E\t/n/rh\td\t4096\t1690000000.0\t755\t",
                "E\t/n/rh/genimage\tf\t999\t1700000001.2\t755\t",
                "E\t/n/centos\td\t4096\t1700000000.5\t755\t",
                "E\t/n/centos/genimage\tl\t12\t1700000000.0\t777\t../rh/genimage",
                "E\t/n/sle\td\t4096\t1700000000.0\t755\t",
                "E\t/n/sle/genimage\tf\t1000\t1700000001.0\t755\t",
                "E\t/n/old\td\t4096\t1700000000.0\t755\t",
                "E\t/n/old/x\tf\t1\t1700000000.0\t644\t");
        Manifest mn = Manifest.parse(MN);
        Manifest.Diff d = mn.diff(Manifest.parse(builder), false);
        assertEquals(List.of("/n/new.pkglist", "/n/rh/genimage", "/n/sle"), d.copy());
        assertEquals(List.of("/n/sle"), d.replace());
        assertEquals(List.of("/n/old", "/n/sle/genimage"), d.vanished());
        assertEquals(1010, mn.bytes(d.copy()));
    }

    @Test
    void checksumsDecideWhenAsked() {
        String sum = "a".repeat(64);
        String other = "b".repeat(64);
        Manifest a = Manifest.parse("E\t/f\tf\t3\t100.0\t644\t\nH\t" + sum + "  /f\n");
        Manifest b = Manifest.parse("E\t/f\tf\t3\t200.0\t644\t\nH\t" + sum + "  /f\n");
        Manifest c = Manifest.parse("E\t/f\tf\t3\t100.0\t644\t\nH\t" + other + "  /f\n");
        assertEquals(List.of(), a.diff(b, true).copy());
        assertEquals(List.of("/f"), a.diff(c, true).copy());
        assertEquals(List.of("/f"), a.diff(b, false).copy());
    }

    @Test
    void unreadableLinesAreKeptAside() {
        Manifest m = Manifest.parse("E\t/a\tf\t1\t1.0\t644\t\nE\t/we\tird\tf\t1\t1.0\t644\t\n");
        assertEquals(List.of("E\t/we\tird\tf\t1\t1.0\t644\t"), m.unreadable());
    }
}
