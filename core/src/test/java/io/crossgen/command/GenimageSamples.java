package io.crossgen.command;

import io.crossgen.image.OsImage;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Real {@code genimage} outputs (XCAT.md 5.2, quoted verbatim) and the osimages they came from, plus our own
 * samples in the same formats (XCAT.md 1.6).
 */
final class GenimageSamples {
    private GenimageSamples() {
    }

    static OsImage image(String name, String... keyValues) {
        Map<String, String> attrs = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            attrs.put(keyValues[i], keyValues[i + 1]);
        }
        return OsImage.of(name, attrs);
    }

    /** 5.2 (1): the official doc, older unquoted form, --dryrun. */
    static final String DOC_DRYRUN = "Generating image:\n"
            + "cd /opt/xcat/share/xcat/netboot/rh; ./genimage -a x86_64 -o rhels6.3 -p compute --permission 755"
            + " --srcdir /install/rhels6.3/x86_64 --pkglist /opt/xcat/share/xcat/netboot/rh/compute.rhels6.x86_64.pkglist"
            + " --otherpkgdir /install/post/otherpkgs/rhels6.3/x86_64 --postinstall"
            + " /opt/xcat/share/xcat/netboot/rh/compute.rhels6.x86_64.postinstall --rootimgdir"
            + " /install/netboot/rhels6.3/x86_64/compute mycomputeimage\n";

    static final OsImage DOC_IMAGE = image("mycomputeimage",
            "exlist", "/opt/xcat/share/xcat/netboot/rh/compute.rhels6.x86_64.exlist",
            "imagetype", "linux",
            "osarch", "x86_64",
            "osdistroname", "rhels6.3-x86_64",
            "osname", "Linux",
            "osvers", "rhels6.3",
            "otherpkgdir", "/install/post/otherpkgs/rhels6.3/x86_64",
            "permission", "755",
            "pkgdir", "/install/rhels6.3/x86_64",
            "pkglist", "/opt/xcat/share/xcat/netboot/rh/compute.rhels6.x86_64.pkglist",
            "postinstall", "/opt/xcat/share/xcat/netboot/rh/compute.rhels6.x86_64.postinstall",
            "profile", "compute",
            "provmethod", "netboot",
            "rootimgdir", "/install/netboot/rhels6.3/x86_64/compute");

    /** 5.2 (2) as quoted: cut short in the source after the rootimgdir. */
    static final String PR4924_TRUNCATED = "Generating image:\n"
            + "cd /opt/xcat/share/xcat/netboot/rh; ./genimage -a ppc64le -o rhels7.4 -p compute --permission 755"
            + " --srcdir \"/install/rhels7.4/ppc64le\" --pkglist /opt/xcat/share/xcat/netboot/rh/compute.rhels7.ppc64le.pkglist"
            + " --otherpkgdir \"/install/post/otherpkgs/rhels7.4/ppc64le\" --postinstall"
            + " /opt/xcat/share/xcat/netboot/rh/compute.rhels7.ppc64le.postinstall --rootimgdir /install/netboot/rhels7.4/ppc64...\n";

    /** 5.2 (2) completed as xCAT prints it (our own, same format). */
    static final String PR4924 = PR4924_TRUNCATED.replace("/install/netboot/rhels7.4/ppc64...",
            "/install/netboot/rhels7.4/ppc64le/compute rhels7.4-ppc64le-netboot-compute");

    static final OsImage PR4924_IMAGE = image("rhels7.4-ppc64le-netboot-compute",
            "osarch", "ppc64le", "osvers", "rhels7.4", "profile", "compute", "provmethod", "netboot",
            "permission", "755", "pkgdir", "/install/rhels7.4/ppc64le",
            "pkglist", "/opt/xcat/share/xcat/netboot/rh/compute.rhels7.ppc64le.pkglist",
            "otherpkgdir", "/install/post/otherpkgs/rhels7.4/ppc64le",
            "postinstall", "/opt/xcat/share/xcat/netboot/rh/compute.rhels7.ppc64le.postinstall",
            "rootimgdir", "/install/netboot/rhels7.4/ppc64le/compute");

    /** 5.2 (3): Ubuntu, non-dryrun, with --tempfile; the header has its trailing space. */
    static final String UBUNTU_TEMPFILE = "Generating image: \n"
            + "cd /opt/xcat/share/xcat/netboot/ubuntu; ./genimage -a x86_64 -o ubuntu16.04.1 -p compute --srcdir"
            + " \"/install/ubuntu16.04.1/x86_64\" --pkglist /opt/xcat/share/xcat/netboot/ubuntu/compute.ubuntu16.04.1.pkglist"
            + " --otherpkgdir \"/install/post/otherpkgs/ubuntu16.04.1/x86_64\" --postinstall"
            + " /opt/xcat/share/xcat/netboot/ubuntu/compute.postinstall --rootimgdir /install/netboot/ubuntu16.04.1/x86_64/compute"
            + " --tempfile /tmp/xcat_genimage.3050 ubuntu16.04.1-x86_64-netboot-compute\n";

    static final OsImage UBUNTU_IMAGE = image("ubuntu16.04.1-x86_64-netboot-compute",
            "imagetype", "linux", "osarch", "x86_64", "osname", "Linux", "osvers", "ubuntu16.04.1",
            "otherpkgdir", "/install/post/otherpkgs/ubuntu16.04.1/x86_64",
            "pkgdir", "/install/ubuntu16.04.1/x86_64",
            "pkglist", "/opt/xcat/share/xcat/netboot/ubuntu/compute.ubuntu16.04.1.pkglist",
            "postinstall", "/opt/xcat/share/xcat/netboot/ubuntu/compute.postinstall",
            "profile", "compute", "provmethod", "netboot",
            "rootimgdir", "/install/netboot/ubuntu16.04.1/x86_64/compute");

    /** 5.2 (4) as quoted: --env, multi-valued quoted srcdir; cut short in the source inside --pkglist. */
    static final String ENV_TRUNCATED = "cd /opt/xcat/share/xcat/netboot/rh; ./genimage -a ppc64le -o rhels7.5-alternate"
            + " -p compute --permission 755 --env GITREPO=/opt/xcat/.../gitrepo,SWDIR=/opt/xcat/.../swdir --srcdir"
            + " \"/install/rhels7.5-alternate/ppc64le,/opt/xcat/.../swdir/pkgdir/\" --pkglist"
            + " /opt/xcat/share/xcat/netboot/rh/compute.rhels7.ppc64le.pkglist,/opt/xcat/.../pkglist/test1.pkglist,...\n";

    /** 5.2 (4) completed (our own, same format): trailing comma in otherpkglist, quoted postinstall (2.14.3+). */
    static final String ENV = "Generating image: \n"
            + "cd /opt/xcat/share/xcat/netboot/rh; ./genimage -a ppc64le -o rhels7.5-alternate"
            + " -p compute --permission 755 --env GITREPO=/opt/xcat/.../gitrepo,SWDIR=/opt/xcat/.../swdir --srcdir"
            + " \"/install/rhels7.5-alternate/ppc64le,/opt/xcat/.../swdir/pkgdir/\" --pkglist"
            + " /opt/xcat/share/xcat/netboot/rh/compute.rhels7.ppc64le.pkglist,/opt/xcat/.../pkglist/test1.pkglist,"
            + "/opt/xcat/.../pkglist/test2.pkglist --otherpkgdir \"/opt/xcat/.../swdir/otherpkgdir/\" --otherpkglist"
            + " /opt/xcat/.../otherpkglist/test1.otherpkglist,/opt/xcat/.../otherpkglist/test2.otherpkglist,"
            + " --postinstall \"/opt/xcat/share/xcat/netboot/rh/compute.rhels7.ppc64le.postinstall,"
            + "/opt/xcat/.../postinstall/test1.postinstall\" --rootimgdir /install/custom/test.environments.osimage"
            + " test.environments.osimage\n";

    static final OsImage ENV_IMAGE = image("test.environments.osimage",
            "environvar", "GITREPO=/opt/xcat/.../gitrepo,SWDIR=/opt/xcat/.../swdir",
            "imagetype", "linux", "osarch", "ppc64le", "osvers", "rhels7.5-alternate",
            "otherpkgdir", "/opt/xcat/.../swdir/otherpkgdir/",
            "otherpkglist", "/opt/xcat/.../otherpkglist/test1.otherpkglist,/opt/xcat/.../otherpkglist/test2.otherpkglist,",
            "permission", "755",
            "pkgdir", "/install/rhels7.5-alternate/ppc64le,/opt/xcat/.../swdir/pkgdir/",
            "pkglist", "/opt/xcat/share/xcat/netboot/rh/compute.rhels7.ppc64le.pkglist,/opt/xcat/.../pkglist/test1.pkglist,"
                    + "/opt/xcat/.../pkglist/test2.pkglist",
            "postinstall", "/opt/xcat/share/xcat/netboot/rh/compute.rhels7.ppc64le.postinstall,"
                    + "/opt/xcat/.../postinstall/test1.postinstall",
            "profile", "compute", "provmethod", "netboot",
            "rootimgdir", "/install/custom/test.environments.osimage",
            "synclists", "/opt/xcat/.../syncfiles/synclist",
            "usercomment", "OSMAJOR,test_environment_variables");

    /** 5.2 (5): the builder-node line of the mixed-OS procedure. */
    static final String UBUNTU_PPC64EL = "cd /opt/xcat/share/xcat/netboot/ubuntu; ./genimage -a ppc64el -o ubuntu17.10"
            + " -p compute --srcdir \"/install/ubuntu17.10/ppc64el\" --pkglist /opt/xcat/share/xcat/netboot/ubuntu/compute.pkglist"
            + " --otherpkgdir \"/install/post/otherpkgs/ubuntu17.10/ppc64el\" --postinstall"
            + " /opt/xcat/share/xcat/netboot/ubuntu/compute.postinstall --rootimgdir"
            + " /install/netboot/myubuntuexamplec/ppc64el/compute myubuntuexample\n";

    static final OsImage UBUNTU_PPC64EL_IMAGE = image("myubuntuexample",
            "osarch", "ppc64el", "osvers", "ubuntu17.10", "profile", "compute", "provmethod", "netboot",
            "pkgdir", "/install/ubuntu17.10/ppc64el",
            "pkglist", "/opt/xcat/share/xcat/netboot/ubuntu/compute.pkglist",
            "otherpkgdir", "/install/post/otherpkgs/ubuntu17.10/ppc64el",
            "postinstall", "/opt/xcat/share/xcat/netboot/ubuntu/compute.postinstall",
            "rootimgdir", "/install/netboot/myubuntuexamplec/ppc64el/compute");

    /** 5.2 (6): a 2015 run on the centos symlink family, with --tempfile and the failure that followed. */
    static final String TRINITY = "cd /opt/xcat/share/xcat/netboot/centos; ./genimage -a x86_64 -o centos7 -p trinity"
            + " --permission 755 --srcdir /install/centos7/x86_64 --pkglist /install/custom/netboot/centos/trinity.centos7.pkglist"
            + " --otherpkgdir \"/install/post/otherpkgs/centos7/x86_64\" --otherpkglist"
            + " /install/custom/netboot/centos/trinity.centos7.otherpkgs --postinstall"
            + " /install/custom/netboot/centos/trinity.centos7.postinstall --rootimgdir /install/netboot/centos7/x86_64/trinity"
            + " --tempfile /tmp/xcat_genimage.13979 centos7-x86_64-netboot-trinity\n"
            + "The repository for /install/centos7/x86_64 should be created before running the genimge. Try to run"
            + " [createrepo /install/centos7/x86_64].\n"
            + "Need /install/centos7/x86_64/ available from a system that has ran copycds on centos7 x86_64\n";

    static final OsImage TRINITY_IMAGE = image("centos7-x86_64-netboot-trinity",
            "osarch", "x86_64", "osvers", "centos7", "profile", "trinity", "provmethod", "netboot",
            "permission", "755", "pkgdir", "/install/centos7/x86_64",
            "pkglist", "/install/custom/netboot/centos/trinity.centos7.pkglist",
            "otherpkgdir", "/install/post/otherpkgs/centos7/x86_64",
            "otherpkglist", "/install/custom/netboot/centos/trinity.centos7.otherpkgs",
            "postinstall", "/install/custom/netboot/centos/trinity.centos7.postinstall",
            "rootimgdir", "/install/netboot/centos7/x86_64/trinity");

    /**
     * Our own, in the 1.6 format: duplicated header, CRLF line ends, info lines with and without the
     * {@code [host]: } prefix, the command line itself prefixed, the stray 1 after both flags, --timezone (sles).
     */
    static final String SLE_PREFIXED = "Generating image: \r\n"
            + "Generating image: \r\n"
            + "[xcatmn]: The netdrivers is different from the value in linuximage table, will update it.\r\n"
            + "The kernelver is different from the value in linuximage table, will update it.\r\n"
            + "[xcatmn]: cd /opt/xcat/share/xcat/netboot/sle; ./genimage -a x86_64 -o sle15.4 -p compute"
            + " -n tg3,e1000e -i eth0 -k 5.14.21-150400.24.46-default -g 5.14.21 --permission 755"
            + " --srcdir \"/install/sle15.4/x86_64/1,/install/sle15.4/x86_64/2\""
            + " --pkglist /opt/xcat/share/xcat/netboot/sles/compute.sle15.x86_64.pkglist"
            + " --rootimgdir /install/netboot/sle15.4/x86_64/compute"
            + " --driverupdatesrc dud:/install/dud/x.iso,rpm:/install/rpm/y.rpm --ignorekernelchk 1 --noupdate 1"
            + " --timezone UTC sle15.4-x86_64-netboot-compute\r\n";

    static final OsImage SLE_IMAGE = image("sle15.4-x86_64-netboot-compute",
            "osarch", "x86_64", "osvers", "sle15.4", "profile", "compute", "provmethod", "netboot",
            "netdrivers", "tg3,e1000e", "nodebootif", "eth0", "kernelver", "5.14.21-150400.24.46-default",
            "krpmver", "5.14.21", "permission", "755",
            "pkgdir", "/install/sle15.4/x86_64/1,/install/sle15.4/x86_64/2",
            "pkglist", "/opt/xcat/share/xcat/netboot/sles/compute.sle15.x86_64.pkglist",
            "rootimgdir", "/install/netboot/sle15.4/x86_64/compute",
            "driverupdatesrc", "dud:/install/dud/x.iso,rpm:/install/rpm/y.rpm");

    /** Our own: every attribute the plugin maps, on a rocky image, quoted form, a postinstall entry with arguments. */
    static final String ROCKY_ALL = "Generating image: \n"
            + "cd /opt/xcat/share/xcat/netboot/rocky; ./genimage -a aarch64 -o rocky9.2 -p compute -n igb,mlx5_core"
            + " -i eth0 -r eth1,eth2 -k 5.14.0-284.11.1.el9_2.aarch64 -g 5.14.0 --permission 755"
            + " --kerneldir /install/kernels/rocky9 --env PROXY=http://proxy:3128,LANG=C"
            + " --srcdir \"/install/rocky9.2/aarch64\" --pkglist /install/custom/rocky9/compute.pkglist"
            + " --otherpkgdir \"/install/post/otherpkgs/rocky9.2/aarch64,https://repo.example.org/el9\""
            + " --otherpkglist /install/custom/rocky9/compute.otherpkglist"
            + " --postinstall \"/install/custom/rocky9/post.sh --fast 2,/install/custom/rocky9/post2.sh\""
            + " --rootimgdir /install/netboot/rocky9.2/aarch64/compute"
            + " --driverupdatesrc rpm:/install/drivers/mlx.rpm rocky9.2-aarch64-netboot-compute\n";

    static final OsImage ROCKY_IMAGE = image("rocky9.2-aarch64-netboot-compute",
            "osarch", "aarch64", "osvers", "rocky9.2", "profile", "compute", "provmethod", "statelite",
            "netdrivers", "igb,mlx5_core", "nodebootif", "eth0", "otherifce", "eth1,eth2",
            "kernelver", "5.14.0-284.11.1.el9_2.aarch64", "krpmver", "5.14.0", "permission", "755",
            "kerneldir", "/install/kernels/rocky9", "environvar", "PROXY=http://proxy:3128,LANG=C",
            "pkgdir", "/install/rocky9.2/aarch64", "pkglist", "/install/custom/rocky9/compute.pkglist",
            "otherpkgdir", "/install/post/otherpkgs/rocky9.2/aarch64,https://repo.example.org/el9",
            "otherpkglist", "/install/custom/rocky9/compute.otherpkglist",
            "postinstall", "/install/custom/rocky9/post.sh --fast 2,/install/custom/rocky9/post2.sh",
            "rootimgdir", "/install/netboot/rocky9.2/aarch64/compute",
            "driverupdatesrc", "rpm:/install/drivers/mlx.rpm",
            "exlist", "/install/custom/rocky9/compute.exlist", "synclists", "/install/custom/rocky9/synclist",
            "addkcmdline", "quiet");
}
