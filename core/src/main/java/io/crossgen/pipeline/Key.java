package io.crossgen.pipeline;

import java.util.Objects;

/**
 * A typed name for a value that one step hands to later steps through the {@link StepContext}.
 *
 * <p>Keys replace a {@code Map<String, Object>}: the type travels with the name, so {@code get} needs no cast.
 * Two keys are equal when name and type are. Declare keys as constants next to the step that produces them.
 *
 * <pre>{@code
 * public static final Key<GenimageCommand> GENIMAGE = Key.of("genimage", GenimageCommand.class);
 * context.put(GENIMAGE, command);            // in DryRunGenimage
 * context.require(GENIMAGE).toCommand();     // in Generate
 * }</pre>
 *
 * @param name a short identifier, unique within a pipeline
 * @param type the class of the value
 * @param <T> the value type
 */
public record Key<T>(String name, Class<T> type) {

    public Key {
        Objects.requireNonNull(name, "key name");
        Objects.requireNonNull(type, "key type");
        if (name.isBlank()) {
            throw new IllegalArgumentException("key name must not be blank");
        }
    }

    /** A key of the given name and type. */
    public static <T> Key<T> of(String name, Class<T> type) {
        return new Key<>(name, type);
    }

    @Override
    public String toString() {
        return name + ":" + type.getSimpleName();
    }
}
