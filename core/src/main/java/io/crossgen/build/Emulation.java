package io.crossgen.build;

/**
 * How a builder of another architecture runs the image's binaries: an option of {@link Preflight}
 * ({@link Preflight#withEmulation}), given to a cross build with {@link CrossBuild.Builder#step}.
 *
 * <p>With {@link #qemuUser()}, xCAT's rh genimage (2.17 and later) builds an image for another architecture
 * itself: it sees {@code uname -m} differ from the image's arch and sets {@code arch=} and
 * {@code ignorearch=True} in its dnf/yum configuration, and the packages' scriptlets run in the chroot through
 * the kernel's binfmt_misc and qemu-user. {@link Preflight} then lets the builder's architecture differ, and only
 * then, when it finds on the builder a usable binfmt_misc entry for the image's architecture (mounted, matching
 * the architecture's ELF header, enabled, its interpreter present, flag {@code F}), the rh family, and xCAT 2.17
 * or later on the MN. The builder must still run the image's OS major release.
 *
 * <pre>{@code
 * CrossBuild.from("rhels8.8.0-aarch64-netboot-compute").as("arm").builderNode("ssh://root@x86vm")
 *         .step(Preflight.defaults().withEmulation(Emulation.qemuUser())).build();
 * }</pre>
 */
public final class Emulation {
    private static final Emulation QEMU_USER = new Emulation("qemu-user");

    private final String name;

    private Emulation(String name) {
        this.name = name;
    }

    /** qemu-user (e.g. Debian's or EL's qemu-user-static) registered in the builder's binfmt_misc. */
    public static Emulation qemuUser() {
        return QEMU_USER;
    }

    /** {@code qemu-user}. */
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }
}
