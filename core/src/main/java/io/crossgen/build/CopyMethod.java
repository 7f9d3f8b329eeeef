package io.crossgen.build;

/**
 * How files go from the MN to the builder.
 *
 * <pre>{@code
 * CopyNetboot.defaults().withMethod(CopyMethod.SCP_LEGACY)
 * }</pre>
 */
public enum CopyMethod {
    /**
     * One tar stream, {@code tar -c} on the MN piped through crossgen into {@code tar -x} on the builder: needs
     * no trust between the two hosts, keeps symbolic links as links and modes as they are, and, for
     * {@link CopyNetboot}, sends only what differs. The default.
     */
    TAR_RELAY,
    /**
     * The builder pulls with {@code scp -O -r root@MN:...}, as the manual procedure does: needs the builder's
     * root to log in to the MN, copies everything every time, and turns the tree's absolute folder links
     * ({@code sle}, {@code centos-stream}) into copies. {@code -O} (the legacy protocol) because OpenSSH 9's
     * default {@code scp -r} refuses those links and exits 1 (XCAT.md 1.1).
     */
    SCP_LEGACY
}
