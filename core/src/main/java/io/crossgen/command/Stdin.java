package io.crossgen.command;

import com.google.common.base.Suppliers;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What a {@link Command} reads on its standard input.
 *
 * <p>The default is {@link #none()}: the input is closed as soon as the command starts. That matters for
 * xCAT: every xCAT client command (lsdef, mkdef, packimage, genimage) waits up to one second on an open,
 * idle stdin before it carries on, and {@code mkdef -z} fed through a pipe can miss its input altogether.
 */
public sealed interface Stdin {

    /** No input: stdin is closed at once. */
    static Stdin none() {
        return None.INSTANCE;
    }

    /** The given bytes (copied), then end of input. */
    static Stdin bytes(byte[] content) {
        return new Bytes(content);
    }

    /**
     * The bytes the supplier makes, made when the command first needs them (to run it, or to show them) and kept:
     * a plan whose output does not show stdin never makes them. The supplier is called at most once.
     */
    static Stdin bytes(Supplier<byte[]> content) {
        Objects.requireNonNull(content, "content");
        return new Bytes(Suppliers.memoize(() -> Objects.requireNonNull(content.get(), "stdin content").clone()));
    }

    /** The content of a file on the machine running crossgen, streamed, then end of input. */
    static Stdin file(Path localFile) {
        return new LocalFile(localFile);
    }

    /**
     * A stream opened when the command starts; it is read to its end and closed. The source is opened
     * once per run, so a command holding it can be run again.
     */
    static Stdin stream(Source source) {
        return new Stream(source);
    }

    /** Opens the input; the caller closes it. */
    InputStream open() throws IOException;

    /** Opens the input of a {@link #stream(Source)}. */
    @FunctionalInterface
    interface Source {
        InputStream open() throws IOException;
    }

    /** See {@link #none()}. */
    final class None implements Stdin {
        private static final None INSTANCE = new None();

        private None() {
        }

        @Override
        public InputStream open() {
            return InputStream.nullInputStream();
        }

        @Override
        public String toString() {
            return "none";
        }
    }

    /** See {@link #bytes(byte[])} and {@link #bytes(Supplier)}. */
    final class Bytes implements Stdin {
        private final Supplier<byte[]> content;

        private Bytes(byte[] content) {
            byte[] copy = content.clone();
            this.content = () -> copy;
        }

        private Bytes(Supplier<byte[]> content) {
            this.content = content;
        }

        /** A copy of the content. */
        public byte[] content() {
            return content.get().clone();
        }

        @Override
        public InputStream open() {
            return new java.io.ByteArrayInputStream(content.get());
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bytes other && Arrays.equals(content.get(), other.content.get());
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(content.get());
        }

        /** The size only: stdin may hold secrets. */
        @Override
        public String toString() {
            return content.get().length + " bytes";
        }
    }

    /** See {@link #file(Path)}. */
    record LocalFile(Path path) implements Stdin {
        public LocalFile {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public InputStream open() throws IOException {
            return java.nio.file.Files.newInputStream(path);
        }

        @Override
        public String toString() {
            return "file " + path;
        }
    }

    /** See {@link #stream(Source)}. */
    record Stream(Source source) implements Stdin {
        public Stream {
            Objects.requireNonNull(source, "source");
        }

        @Override
        public InputStream open() throws IOException {
            return source.open();
        }

        @Override
        public String toString() {
            return "stream";
        }
    }
}
