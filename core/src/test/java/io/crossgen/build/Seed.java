package io.crossgen.build;

import io.crossgen.image.OsImage;
import io.crossgen.image.StanzaCodec;
import io.crossgen.testing.ScriptedTransport;
import io.crossgen.transport.Transports;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** The seed example of the manual procedure: rhels6.3 x86_64 compute copied to mycomputeimage. */
final class Seed {
    static final String SOURCE = "rhels6.3-x86_64-netboot-compute";
    static final String TARGET = "mycomputeimage";
    static final String OWN_DIR = "/install/netboot/rhels6.3/x86_64/mycomputeimage";
    /** The source's rootimgdir, as its stanza gives it. */
    static final String SOURCE_DIR = "/install/netboot/rhels6.3/x86_64/compute";

    private Seed() {
    }

    static String resource(String name) {
        try (InputStream in = Seed.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new AssertionError("no test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static String stanza() {
        return resource("rhels6.3-compute.stanza");
    }

    static OsImage source() {
        return StanzaCodec.readOne(stanza(), "rhels6.3-compute.stanza");
    }

    /** The seed's dry-run output (XCAT.md 5.2(1)) for the copy with its own rootimgdir. */
    static String dryRun() {
        return dryRun(TARGET, OWN_DIR);
    }

    /** What genimage --dryrun of the source prints: its own name and rootimgdir ({@link #SOURCE_DIR}). */
    static String sourceDryRun() {
        return dryRun(SOURCE, SOURCE_DIR);
    }

    /** The seed's dry-run output for an image of this name and rootimgdir (none: no --rootimgdir, as genimage.pm). */
    static String dryRun(String name, String rootimgdir) {
        return "Generating image: \ncd /opt/xcat/share/xcat/netboot/rh; ./genimage -a x86_64 -o rhels6.3 -p compute"
                + " --permission 755 --srcdir /install/rhels6.3/x86_64 --pkglist"
                + " /opt/xcat/share/xcat/netboot/rh/compute.rhels6.x86_64.pkglist --otherpkgdir"
                + " /install/post/otherpkgs/rhels6.3/x86_64 --postinstall"
                + " /opt/xcat/share/xcat/netboot/rh/compute.rhels6.x86_64.postinstall"
                + (rootimgdir == null ? "" : " --rootimgdir " + rootimgdir) + " " + name + "\n";
    }

    /** The seed's build, whose plan reads the source's definition from the MN; steps one after another (the tests
     * pin the order of every command across steps). */
    static CrossBuild.Builder build(ScriptedTransport hosts) {
        return on(CrossBuild.from(SOURCE), hosts);
    }

    /** The seed's build from the source's definition known beforehand ({@link #source()}). */
    static CrossBuild.Builder planned(ScriptedTransport hosts) {
        return on(CrossBuild.from(source()), hosts);
    }

    private static CrossBuild.Builder on(CrossBuild.Builder build, ScriptedTransport hosts) {
        return build.as(TARGET)
                .managementNode("scripted://xcatmn")
                .builderReachesManagementNodeAs("xcatmn")
                .builderNode("scripted://node01")
                .transports(Transports.of(hosts))
                .parallelism(1);
    }
}
