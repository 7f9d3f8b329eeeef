package io.crossgen.build;

import io.crossgen.command.Command;
import io.crossgen.image.OsImage;
import io.crossgen.image.StanzaCodec;
import io.crossgen.transport.Connection;
import io.crossgen.transport.Exec;
import io.crossgen.transport.ExecResult;
import io.crossgen.transport.RemoteFileException;
import io.crossgen.transport.RemoteFiles;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@value Provenance#FILE} of an osimage on the MN, as found: where it is ({@code <rootimgdir>/}{@value
 * Provenance#FILE}, rootimgdir from {@code lsdef}, defaulting under {@code site.installdir}) and the statement,
 * empty when the image has none (built without crossgen, or before crossgen wrote provenance).
 *
 * <pre>{@code
 * ProvenanceFile f = ProvenanceFile.read(transports.connect(mn), Duration.ofMinutes(1), "mycompute");
 * f.provenance().ifPresent(p -> System.out.println(p.inventory().packages().size()));
 * }</pre>
 */
public record ProvenanceFile(String image, String path, Optional<Provenance> provenance) {
    /** A statement with the package inventory of a large image stays far below this. */
    private static final long MAX_BYTES = 64L << 20;

    public ProvenanceFile {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(provenance, "provenance");
    }

    /**
     * Reads the provenance of osimage {@code image} with three commands on the MN, each within {@code timeout}.
     *
     * @throws BuildException naming the image when the MN has no such osimage, or naming the file when it is not
     *         a crossgen statement
     */
    public static ProvenanceFile read(Connection connection, Duration timeout, String image)
            throws InterruptedException {
        Exec mn = Exec.on(connection, timeout);
        ExecResult def = mn.run(Command.of("lsdef", "-t", "osimage", "-z", image).asXcatCall());
        if (!def.isSuccess()) {
            throw new BuildException("no osimage '" + image + "' on the management node: " + String.join(" ",
                    def.stdout().lines()) + String.join(" ", def.stderr().lines()));
        }
        OsImage osimage = StanzaCodec.readOne(def.stdout().text(), "lsdef -t osimage -z " + image);
        String installdir = SitePaths.parse(mn.run(SitePaths.READ).stdout().text(), "installdir").orElse(Mount.INSTALL);
        String path = RootimgDir.of(osimage, installdir) + "/" + Provenance.FILE;
        String text;
        try {
            text = RemoteFiles.on(connection, timeout).readString(path, MAX_BYTES);
        } catch (RemoteFileException e) {
            if (e.reason() == RemoteFileException.Reason.NOT_FOUND) {
                return new ProvenanceFile(image, path, Optional.empty());
            }
            throw e;
        }
        return new ProvenanceFile(image, path, Optional.of(Provenance.fromJson(text, path)));
    }

    /** What {@code crossgen inspect} prints: where the file is, then the statement or that there is none. */
    public String describe() {
        if (provenance.isEmpty()) {
            return "osimage " + image + " has no provenance (" + path + " does not exist): it was not built by"
                    + " this crossgen\n";
        }
        Provenance p = provenance.get();
        StringBuilder out = new StringBuilder();
        out.append("osimage ").append(image).append(" (").append(path).append(")\n");
        out.append("  built from ").append(p.source()).append(" on ").append(p.builder()).append(" (")
                .append(p.builderHost().getOrDefault("hostname", "?")).append(", ")
                .append(p.builderHost().getOrDefault("arch", "?")).append(", ")
                .append(p.builderHost().getOrDefault("os", "?")).append(")\n");
        out.append("  run ").append(p.runId()).append(", ").append(p.startedOn().orElse("?")).append(" to ")
                .append(p.finishedOn().orElse("?")).append(", crossgen ").append(p.crossgenVersion()).append('\n');
        out.append("  genimage --dryrun printed: ").append(p.dryRun()).append('\n');
        out.append("  genimage ran: ").append(p.asRun()).append('\n');
        out.append("  subjects:\n");
        p.subjects().forEach(s -> out.append("    ").append(s.sha256()).append("  ").append(s.name()).append('\n'));
        out.append("  inputs:\n");
        p.dependencies().forEach(d -> out.append("    ").append(d.sha256().isEmpty() ? "(missing)" : d.sha256())
                .append("  ").append(d.uri()).append(" (").append(d.name()).append(")\n"));
        out.append("  packages (").append(p.inventory().database()).append("): ")
                .append(p.inventory().packages().size()).append('\n');
        p.inventory().packages().forEach(k -> out.append("    ").append(k.name()).append(' ').append(k.version())
                .append(' ').append(k.arch()).append('\n'));
        return out.toString();
    }
}
