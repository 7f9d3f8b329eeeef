package io.crossgen.examples;

import io.crossgen.build.ImageDiff;
import io.crossgen.build.ProvenanceFile;
import io.crossgen.transport.Connection;
import io.crossgen.transport.Host;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code crossgen diff A B}: what differs between the provenance of two images on the MN. */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = "Show what differs between osimages A and B, from the crossgen-provenance.json beside each on"
                + " the MN: definition attributes, input files and repositories (by sha256), boot files, packages"
                + " added, removed or changed. Exit 0 when they agree, 1 when they differ; an image without"
                + " provenance is reported as such (exit 1).",
        footer = {"%nExample:%n  crossgen diff compute-march compute-april --mn ssh://root@xcatmn"})
final class DiffCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "A", description = "the earlier osimage")
    String a;

    @Parameters(index = "1", paramLabel = "B", description = "the later osimage")
    String b;

    @Option(names = "--json", description = "print the differences as JSON")
    boolean json;

    @ArgGroup(exclusive = false, heading = "Hosts%n")
    Main.BuildOptions build = new Main.BuildOptions();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        ProvenanceFile first;
        ProvenanceFile second;
        try (Connection mn = build.transports().connect(Host.parse(build.managementNode))) {
            first = ProvenanceFile.read(mn, Duration.ofMinutes(2), a);
            second = ProvenanceFile.read(mn, Duration.ofMinutes(2), b);
        }
        if (first.provenance().isEmpty() || second.provenance().isEmpty()) {
            for (ProvenanceFile f : new ProvenanceFile[] {first, second}) {
                if (f.provenance().isEmpty()) {
                    out.print(f.describe());
                }
            }
            out.flush();
            return 1;
        }
        ImageDiff diff = ImageDiff.of(first.provenance().get(), second.provenance().get());
        out.print(json ? diff.toJson() : diff.describe());
        out.flush();
        return diff.isEmpty() ? 0 : 1;
    }
}
