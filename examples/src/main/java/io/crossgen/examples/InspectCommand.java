package io.crossgen.examples;

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

/** {@code crossgen inspect IMAGE}: the provenance crossgen wrote beside an image on the MN. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Show how osimage IMAGE was built and what it holds: the crossgen-provenance.json beside it on"
                + " the MN (subjects, inputs, builder, run, packages). An image without one is reported as such.",
        footer = {"%nExample:%n  crossgen inspect mycomputeimage --mn ssh://root@xcatmn"})
final class InspectCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "IMAGE", description = "the osimage to inspect")
    String image;

    @Option(names = "--json", description = "print the in-toto statement itself")
    boolean json;

    @ArgGroup(exclusive = false, heading = "Hosts%n")
    Main.BuildOptions build = new Main.BuildOptions();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        ProvenanceFile file;
        try (Connection mn = build.transports().connect(Host.parse(build.managementNode))) {
            file = ProvenanceFile.read(mn, Duration.ofMinutes(2), image);
        }
        if (json) {
            out.print(file.provenance().map(p -> p.toJson()).orElse("null\n"));
        } else {
            out.print(file.describe());
        }
        out.flush();
        return 0;
    }
}
