package io.crossgen.transport.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.command.Stdin;
import io.crossgen.transport.Connection;
import io.crossgen.transport.FileStat;
import io.crossgen.transport.Host;
import io.crossgen.transport.RemoteFileException;
import io.crossgen.transport.RemoteFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RemoteFilesTest {
    private final Connection local = new LocalTransportProvider().connect(Host.local());
    private final RemoteFiles files = RemoteFiles.on(local, Duration.ofMinutes(1));

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        local.close();
    }

    @Test
    void writeThenReadRoundTripsBinaryContentWithModeAndCreatesParents() throws Exception {
        byte[] content = new byte[100_000];
        new Random(1).nextBytes(content);
        Path target = dir.resolve("a/b c/it's \"new\"\n.bin");
        files.write(target.toString(), content, 0640);
        assertArrayEquals(content, Files.readAllBytes(target));
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        assertArrayEquals(content, files.read(target.toString(), content.length));
    }

    @Test
    void overwriteReplacesTheFileAndLeavesNoTemporaryBehind() throws Exception {
        Path target = dir.resolve("conf");
        files.write(target.toString(), "old".getBytes(StandardCharsets.UTF_8));
        files.write(target.toString(), "new".getBytes(StandardCharsets.UTF_8), 0755);
        assertEquals("new", files.readString(target.toString(), 100));
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(target), left.toList());
        }
    }

    @Test
    void writeStreamsALargeLocalFile() throws Exception {
        Path local = dir.resolve("local.bin");
        byte[] content = new byte[8 * 1024 * 1024];
        new Random(2).nextBytes(content);
        Files.write(local, content);
        Path target = dir.resolve("remote.bin");
        files.write(target.toString(), Stdin.file(local), 0600);
        assertEquals(Tree.sha256(local), Tree.sha256(target));
    }

    @Test
    void writeOverAFolderFailsAndLeavesItAlone() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("folder"));
        RemoteFileException e = assertThrows(RemoteFileException.class,
                () -> files.write(folder.toString(), new byte[] {1}));
        assertEquals("local: cannot write " + folder + ": it is a directory", e.getMessage());
        assertEquals(RemoteFileException.Reason.IS_A_DIRECTORY, e.reason());
        assertTrue(Files.isDirectory(folder));
    }

    @Test
    void writeThatCannotCreateItsParentSaysWhy() throws Exception {
        Path file = Files.writeString(dir.resolve("plain"), "x");
        RemoteFileException e = assertThrows(RemoteFileException.class,
                () -> files.write(file.resolve("below").toString(), new byte[] {1}));
        assertEquals("local: cannot write " + file.resolve("below") + ": exit 1: mkdir: cannot create directory '"
                + file + "': File exists", e.getMessage());
        assertEquals(RemoteFileException.Reason.FAILED, e.reason());
    }

    @Test
    void readingAMissingFileNamesHostAndPath() {
        String path = dir.resolve("nope").toString();
        RemoteFileException e = assertThrows(RemoteFileException.class, () -> files.read(path, 10));
        assertEquals("local: cannot read " + path + ": no such file", e.getMessage());
        assertEquals(RemoteFileException.Reason.NOT_FOUND, e.reason());
        assertEquals(path, e.path());
    }

    @Test
    void readingAFolderOrATooLargeFileFails() throws Exception {
        RemoteFileException folder = assertThrows(RemoteFileException.class, () -> files.read(dir.toString(), 10));
        assertEquals("local: cannot read " + dir + ": it is a directory", folder.getMessage());
        Path big = Files.write(dir.resolve("big"), new byte[11]);
        RemoteFileException large = assertThrows(RemoteFileException.class, () -> files.read(big.toString(), 10));
        assertEquals("local: cannot read " + big + ": larger than the limit of 10 bytes", large.getMessage());
        assertEquals(RemoteFileException.Reason.TOO_LARGE, large.reason());
        assertEquals(11, files.read(big.toString(), 11).length);
    }

    @Test
    void pathsStartingWithADashAreNotOptions() throws Exception {
        Path target = dir.resolve("-rf");
        files.write(target.toString(), "d".getBytes(StandardCharsets.UTF_8));
        assertEquals("d", files.readString(target.toString(), 10));
        files.mkdirs(dir.resolve("-p/-x").toString());
        assertTrue(Files.isDirectory(dir.resolve("-p/-x")));
    }

    @Test
    void mkdirsCreatesParentsAndAcceptsAnExistingFolder() throws Exception {
        Path deep = dir.resolve("x/y z/\u00fc");
        files.mkdirs(deep.toString());
        files.mkdirs(deep.toString());
        assertTrue(Files.isDirectory(deep));
    }

    @Test
    void statDescribesFilesFoldersAndLinksWithoutFollowingThem() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "12345");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-x---"));
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2020-01-02T03:04:05Z")));
        FileStat f = files.stat(file.toString()).orElseThrow();
        assertEquals(new FileStat(file.toString(), FileStat.Type.FILE, 5, 0750,
                Instant.parse("2020-01-02T03:04:05Z"), Optional.empty()), f);
        assertEquals("0750", f.octalMode());

        FileStat d = files.stat(dir.toString()).orElseThrow();
        assertEquals(FileStat.Type.DIRECTORY, d.type());

        Path link = Files.createSymbolicLink(dir.resolve("link\nwith newline"), Path.of("../some where\nelse"));
        FileStat l = files.stat(link.toString()).orElseThrow();
        assertEquals(FileStat.Type.SYMLINK, l.type());
        assertEquals(Optional.of("../some where\nelse"), l.linkTarget());
        assertTrue(Files.isSymbolicLink(link) && !Files.exists(link, new LinkOption[0]), "dangling, not followed");
    }

    @Test
    void statOfNothingIsEmpty() throws Exception {
        assertEquals(Optional.empty(), files.stat(dir.resolve("nothing here").toString()));
    }
}
