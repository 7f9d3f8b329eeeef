package io.crossgen;

import java.util.Objects;

/**
 * What the caller can do about a failure, worded for API callers ({@link #text}), with a {@link Kind} that lets
 * another front end (the command line) word the same advice in its own terms.
 *
 * <p>A {@link CrossgenException} that carries advice ends its message with {@code "; " + text}, so a front end
 * finds the exact text in whatever shows the message (a report's summary, a console line) and replaces it:
 *
 * <pre>{@code
 * e.advice().ifPresent(a -> shown = shown.replace(a.text(), a.kind() == Advice.Kind.REPLACE_IMAGE
 *         ? "run again with --replace, or with --existing-image to build it as it is" : a.text()));
 * }</pre>
 */
public record Advice(Kind kind, String text) {
    /** What the advice is about. */
    public enum Kind {
        /** The new osimage exists with other attributes: replace its definition, or build it as it is. */
        REPLACE_IMAGE,
        /** A host offered a key that no known_hosts line names: verify it and add it, or accept new keys. */
        ACCEPT_NEW_HOST_KEY,
        /** No transport serves a host's URI scheme. */
        ADD_TRANSPORT
    }

    public Advice {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(text, "text");
    }
}
