package io.crossgen.build;

import io.crossgen.command.Command;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How the builder sees the management node's {@code site.installdir} at the same path ({@code /install} on most
 * sites); {@link MountInstall} also shows it at {@code /install}, where the builder's genimage hard-codes it
 * (XCAT.md 1.2), when the site's installdir is another folder.
 *
 * <p>A small strategy with a static catalogue: {@link #nfs()} (the manual procedure's
 * {@code mount xcatmn:/install /install}), {@link #sshfs()} (when the MN does not export {@code /install}
 * over NFS; needs the builder to log in to the MN), {@link #none()} (already shared, e.g. by fstab or a
 * cluster file system). Strategies are stateless values: {@link MountInstall} does the checking, the
 * sharing of the mount between the crossgen runs on a builder (a lease; the last run unmounts), the reuse of an
 * identical mount of the admin's, the read-write probe and the deferred release.
 *
 * <pre>{@code
 * CrossBuild.from("rhels8.8.0-ppc64le-netboot-compute").as("mycomputeimage")
 *         .mount(Mount.sshfs())
 *         ...
 * }</pre>
 */
public interface Mount {

    /** Where the builder's genimage expects the MN's {@code /install}. */
    String INSTALL = "/install";

    /** A short name for plans and messages: {@code nfs}, {@code sshfs}, {@code none}. */
    String name();

    /**
     * The commands that mount the MN's folder {@code dir} at the same path on the builder, in order; empty when
     * this strategy mounts nothing.
     *
     * @param managementNode the name the builder knows the MN by (e.g. {@code xcatmn})
     * @param dir the MN's {@code site.installdir} ({@link #INSTALL} on most sites)
     */
    List<Command> mountCommands(String managementNode, String dir);

    /** The command that undoes {@link #mountCommands} for {@code dir}; empty when nothing was mounted. */
    Optional<Command> unmountCommand(String dir);

    /**
     * Whether an existing mount (wherever it is on the builder) already shows the MN's folder {@code dir} as this
     * strategy would mount it, so that it is reused (and never unmounted by crossgen).
     */
    boolean isMountOf(MountPoint existing, String managementNode, String dir);

    /** Programs this strategy needs on the builder (checked by {@link Preflight}). */
    default List<String> requiredTools() {
        return List.of();
    }

    /** NFS, read-write, as the manual procedure does: {@code mkdir -p /install; mount -t nfs MN:/install /install}. */
    static Mount nfs() {
        return nfs("rw");
    }

    /**
     * NFS with the given mount options (comma-separated, e.g. {@code rw,vers=4.2,hard}).
     *
     * @throws IllegalArgumentException when the options are blank or hold a blank
     */
    static Mount nfs(String options) {
        return new Network("nfs", checkOptions(options), "");
    }

    /**
     * sshfs as root of the MN, for an MN that does not export {@code /install}; needs the builder's root to
     * log in to the MN without a password. Options: {@code reconnect,ServerAliveInterval=15,BatchMode=yes,
     * sshfs_sync} ({@code sshfs_sync} matters: without it streams of small writes ran 40 times slower).
     */
    static Mount sshfs() {
        return sshfs("root", "reconnect,ServerAliveInterval=15,BatchMode=yes,sshfs_sync");
    }

    /** sshfs as {@code user} of the MN, with the given options. */
    static Mount sshfs(String user, String options) {
        Objects.requireNonNull(user, "user");
        if (!user.matches("[A-Za-z_][A-Za-z0-9_.-]*")) {
            throw new IllegalArgumentException("sshfs user '" + user + "' is not a user name");
        }
        return new Network("sshfs", checkOptions(options), user);
    }

    /**
     * Nothing to mount: the builder's {@code /install} already is the MN's (fstab, a cluster file system). The
     * read-write probe of {@link MountInstall} still proves it.
     */
    static Mount none() {
        return None.INSTANCE;
    }

    private static String checkOptions(String options) {
        Objects.requireNonNull(options, "options");
        if (options.isBlank() || List.of(options.split(",", -1)).stream().anyMatch(String::isBlank)
                || options.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("mount options '" + options
                    + "' must be a comma-separated list without blanks");
        }
        return options;
    }

    /** {@link #nfs()} and {@link #sshfs()}. */
    final class Network implements Mount {
        private final String kind;
        private final String options;
        private final String user;

        private Network(String kind, String options, String user) {
            this.kind = kind;
            this.options = options;
            this.user = user;
        }

        @Override
        public String name() {
            return kind;
        }

        @Override
        public List<Command> mountCommands(String managementNode, String dir) {
            String source = managementNode + ":" + dir;
            Command mount = kind.equals("nfs")
                    ? Command.of("mount", "-t", "nfs", "-o", options, source, dir)
                    : Command.of("sshfs", user + "@" + source, dir, "-o", options);
            return List.of(Command.of("mkdir", "-p", dir), mount);
        }

        @Override
        public Optional<Command> unmountCommand(String dir) {
            return Optional.of(Command.of("umount", dir));
        }

        @Override
        public boolean isMountOf(MountPoint existing, String managementNode, String dir) {
            return existing.remote().equals(managementNode + ":" + dir);
        }

        @Override
        public List<String> requiredTools() {
            return kind.equals("sshfs") ? List.of("sshfs") : List.of();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Network n && kind.equals(n.kind) && options.equals(n.options) && user.equals(n.user);
        }

        @Override
        public int hashCode() {
            return Objects.hash(kind, options, user);
        }

        @Override
        public String toString() {
            return kind.equals("nfs") ? "nfs(" + options + ")" : "sshfs(" + user + ", " + options + ")";
        }
    }

    /** {@link #none()}. */
    final class None implements Mount {
        private static final None INSTANCE = new None();

        private None() {
        }

        @Override
        public String name() {
            return "none";
        }

        @Override
        public List<Command> mountCommands(String managementNode, String dir) {
            return List.of();
        }

        @Override
        public Optional<Command> unmountCommand(String dir) {
            return Optional.empty();
        }

        @Override
        public boolean isMountOf(MountPoint existing, String managementNode, String dir) {
            return true;
        }

        @Override
        public String toString() {
            return "none";
        }
    }
}
