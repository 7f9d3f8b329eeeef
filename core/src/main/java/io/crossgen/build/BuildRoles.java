package io.crossgen.build;

import io.crossgen.pipeline.Role;

/**
 * The two hosts of xCAT's cross-build procedure, as the roles its steps address them by.
 *
 * <pre>{@code
 * context.check(BuildRoles.BUILDER, Command.of("uname", "-m"));
 * }</pre>
 */
public final class BuildRoles {
    /** The xCAT management node: where lsdef, mkdef, genimage --dryrun and packimage run. */
    public static final Role MN = Role.of("mn");

    /** The node of the image's architecture and OS release that runs the per-distro genimage. */
    public static final Role BUILDER = Role.of("builder");

    private BuildRoles() {
    }
}
