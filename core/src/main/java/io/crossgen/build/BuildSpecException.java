package io.crossgen.build;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * A build spec ({@link BuildSpec}) was refused: not YAML, an unknown key, a value of the wrong type, a missing
 * key, or a build no builder of the pool can take. Nothing has run.
 *
 * <p>The message starts with the location, {@code matrix.yaml:12:7: }, when there is one; the same facts are
 * available as fields.
 */
public class BuildSpecException extends BuildException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final int column;

    BuildSpecException(String source, int line, int column, String detail, Throwable cause) {
        super((source == null ? "" : source + ":") + (line > 0 ? line + ":" + (column > 0 ? column + ":" : "") : "")
                + (source == null && line <= 0 ? "" : " ") + detail, cause);
        this.source = source;
        this.line = line;
        this.column = column;
    }

    /** The spec file as named to the reader; empty for unnamed text. */
    public Optional<String> source() {
        return Optional.ofNullable(source);
    }

    /** The 1-based line of the offending input; empty when unknown. */
    public OptionalInt line() {
        return line > 0 ? OptionalInt.of(line) : OptionalInt.empty();
    }

    /** The 1-based column of the offending input; empty when unknown. */
    public OptionalInt column() {
        return column > 0 ? OptionalInt.of(column) : OptionalInt.empty();
    }
}
