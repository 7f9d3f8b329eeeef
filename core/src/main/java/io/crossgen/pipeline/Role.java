package io.crossgen.pipeline;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The part a host plays in a pipeline, named by the pipeline's author (the cross build's are
 * {@code io.crossgen.build.BuildRoles}).
 *
 * <p>Steps address hosts by role, never by address, so one pipeline runs against any hosts.
 *
 * <pre>{@code
 * Role storage = Role.of("storage");
 * context.exec(storage, Command.of("df", "-h"));
 * }</pre>
 *
 * @param name a short lower-case word: {@code mn}, {@code builder}, {@code storage}
 */
public record Role(String name) {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]*");

    public Role {
        Objects.requireNonNull(name, "role name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("role name '" + name + "' must be a lower-case word ([a-z][a-z0-9_-]*)");
        }
    }

    /** The role of the given name. */
    public static Role of(String name) {
        return new Role(name);
    }

    @Override
    public String toString() {
        return name;
    }
}
