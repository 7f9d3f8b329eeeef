package io.crossgen.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.crossgen.build.BuildMatrix;
import io.crossgen.build.CrossBuild;
import io.crossgen.pipeline.PipelineListener;
import io.crossgen.pipeline.RunReport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code crossgen matrix}: plans of a spec, refusals before anything runs, the live status and the summary. */
class MatrixCommandTest {
    static final Path SAMPLE = Path.of("src/main/resources/samples/matrix.yaml");
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int crossgen(String... args) {
        return Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private List<String> buildHeaders() {
        return out.toString().lines().filter(l -> l.startsWith("# ==== build ")).toList();
    }

    @Test
    void theSampleSpecPlansOutOfTheBoxEachBuildOnItsFirstCandidateBuilder() {
        assertEquals(0, crossgen("matrix", SAMPLE.toString(), "--plan"), err::toString);

        String plan = out.toString();
        assertTrue(plan.startsWith("# crossgen matrix " + SAMPLE + ": 3 build(s) over 3 builder(s), at most 3 at"
                + " once\n"), plan);
        assertEquals(List.of(
                "# ==== build compute-2026-12 from rhels8.8.0-ppc64le-netboot-compute on root@p9node01; candidates:"
                        + " root@p9node01, root@p9node02, root@x86node01",
                "# ==== build mycompute-2026-12 from mycomputeimage on root@p9node01; candidates: root@p9node01,"
                        + " root@p9node02, root@x86node01",
                "# ==== build compute-2026-12-p9node02 from rhels8.8.0-ppc64le-netboot-compute on root@p9node02;"
                        + " candidates: root@p9node02"), buildHeaders());
        assertTrue(plan.contains("\npackimage compute-2026-12\n"), plan);
        assertTrue(plan.contains("\npackimage mycompute-2026-12\n"), plan);
        String mycompute = plan.substring(plan.indexOf("# ==== build mycompute-2026-12"),
                plan.indexOf("# ==== build compute-2026-12-p9node02"));
        assertTrue(mycompute.contains("sshfs"), "mycompute-2026-12 mounts with sshfs");
        assertEquals("", err.toString());
    }

    @Test
    void onlyPlansTheNamedBuilds() {
        assertEquals(0, crossgen("matrix", SAMPLE.toString(), "--plan", "--only", "compute-2026-12-p9node02"),
                err::toString);

        assertEquals(List.of("# ==== build compute-2026-12-p9node02 from rhels8.8.0-ppc64le-netboot-compute on"
                + " root@p9node02; candidates: root@p9node02"), buildHeaders());
    }

    @Test
    void anUnknownNameInOnlyIsAUsageError() {
        assertEquals(2, crossgen("matrix", SAMPLE.toString(), "--only", "compute-2027-01"));

        assertEquals("crossgen: " + SAMPLE + " has no build named compute-2027-01 (builds: compute-2026-12,"
                + " mycompute-2026-12, compute-2026-12-p9node02)\n", err.toString());
        assertEquals("", out.toString());
    }

    /** The sample spec with {@code from} replaced by {@code to}, in {@code dir} beside copies of its definitions. */
    private static Path sampleWith(Path dir, String from, String to) throws Exception {
        for (String d : List.of("rhels8.8.0-ppc64le-netboot-compute.stanza", "mycomputeimage.yaml")) {
            Files.copy(SAMPLE.resolveSibling(d), dir.resolve(d));
        }
        Path spec = dir.resolve("matrix.yaml");
        Files.writeString(spec, Files.readString(SAMPLE).replace(from, to));
        return spec;
    }

    @Test
    void aRefusedSpecExits2NamingFileLineAndColumnAndRunsNothing(@TempDir Path dir) throws Exception {
        Path spec = sampleWith(dir, "max-builds: 2", "max-builds: many");

        assertEquals(2, crossgen("matrix", spec.toString()));

        assertEquals("crossgen: " + spec + ":16:17: max-builds of builder 2 must be a whole number of at least 1,"
                + " not 'many'\n", err.toString());
        assertEquals("", out.toString(), "no status: nothing started");
    }

    @Test
    void aBuilderOfASchemeNoTransportServesIsRefusedBeforeAnythingRuns(@TempDir Path dir) throws Exception {
        Path spec = sampleWith(dir, "ssh://root@x86node01", "kubectl://x86pod");

        assertEquals(2, crossgen("matrix", spec.toString()));

        assertEquals("crossgen: " + spec + ": kubectl://x86pod: the crossgen command line reaches hosts by local:"
                + " and ssh:// only\n", err.toString());
    }

    @Test
    void withoutAFileMatrixIsAUsageError() {
        assertEquals(2, crossgen("matrix", "--plan"));

        assertTrue(err.toString().startsWith("Missing required parameter: 'FILE'\n"), err::toString);
    }

    private static RunReport report(RunReport.Outcome outcome, int seconds, String step, String message) {
        Optional<RunReport.Failure> failure = step == null ? Optional.empty() : Optional.of(new RunReport.Failure(
                step, Optional.empty(), Optional.empty(), List.of(), Optional.empty(), List.of(), message,
                "io.crossgen.build.BuildException"));
        return new RunReport("r1", "crossbuild", Instant.EPOCH, Duration.ofSeconds(seconds), outcome, List.of(),
                List.of(), failure, List.of());
    }

    private static CrossBuild build(String target, String builder) {
        return CrossBuild.from("rhels8.8.0-ppc64le-netboot-compute").as(target).builderNode(builder).build();
    }

    @Test
    void theSummaryHasOneLinePerBuildWithBuilderStatusDurationAndTheFirstLineOfItsFailure() {
        String table = MatrixStatus.summary(List.of(
                new BuildMatrix.Result(build("compute-ppc", "ssh://root@p9node01"),
                        report(RunReport.Outcome.SUCCEEDED, 184, null, null), false),
                new BuildMatrix.Result(build("mycompute", "ssh://root@x86node01"),
                        report(RunReport.Outcome.FAILED, 41, "generate", "genimage exited 1\nmore"), true),
                new BuildMatrix.Result(build("other", "ssh://root@p9node02"),
                        report(RunReport.Outcome.CANCELLED, 0, "lock-image", "the run was cancelled"), false)));

        assertEquals(String.join("\n",
                "build        builder                    status     duration   failure",
                "compute-ppc  root@p9node01              SUCCEEDED  3 min 4 s",
                "mycompute    root@x86node01 (emulated)  FAILED     41.0 s     generate: genimage exited 1",
                "other        root@p9node02              CANCELLED  0.0 s      lock-image: the run was cancelled",
                ""), table);
    }

    @Test
    void withoutATerminalEachEventIsAPlainLineNamingItsBuild() {
        StringWriter text = new StringWriter();
        MatrixStatus status = new MatrixStatus(new PrintWriter(text), List.of("a", "bb"), false);
        PipelineListener a = status.listener(build("a", "ssh://root@n1"));

        a.runStarted("crossbuild-a", false);
        a.stepStarted("generate");
        a.runFinished(report(RunReport.Outcome.FAILED, 3, "generate", "boom"));

        assertEquals("[a] started on root@n1\n[a] ==> generate (builder root@n1)\n[a] FAILED in 3.0 s (step generate)"
                + " on root@n1\n", text.toString());
    }

    @Test
    void onATerminalEveryBuildHasOneLineRedrawnInPlace() {
        StringWriter text = new StringWriter();
        MatrixStatus status = new MatrixStatus(new PrintWriter(text), List.of("a", "bb"), true);
        status.listener(build("bb", "ssh://root@n2")).stepStarted("generate");

        String clear = "\r\033[2K";
        assertEquals(clear + "a   waiting for a builder\n" + clear + "bb  waiting for a builder\n"
                + "\033[2A" + clear + "a   waiting for a builder\n" + clear + "bb  ==> generate (builder root@n2)\n",
                text.toString());
        Matcher lines = Pattern.compile("\n").matcher(text.toString());
        assertEquals(4, lines.results().count(), "two lines drawn, then the same two again");
    }
}
