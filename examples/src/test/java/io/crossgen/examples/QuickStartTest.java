package io.crossgen.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The start-up shortcuts of {@link Main} answer exactly as the full command model does. */
class QuickStartTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int crossgen(String... args) {
        return Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    /** The command model with every subcommand, as picocli built it before the shortcut. */
    private static CommandLine fullModel() {
        CommandLine cli = new CommandLine(Main.class);
        Main.SUBCOMMANDS.forEach(cli::addSubcommand);
        return cli;
    }

    @Test
    void theTopLevelHelpListsEverySubcommandInOrder() {
        assertEquals(0, crossgen("--help"), err::toString);
        assertEquals(fullModel().getUsageMessage(), out.toString());
        assertEquals(List.of("plan", "run", "status", "resume", "unlock", "validate", "convert", "matrix", "inspect",
                "diff", "help"), List.copyOf(fullModel().getSubcommands().keySet()));
    }

    @Test
    void eachSubcommandModelledAlonePrintsTheHelpOfTheFullModel() {
        for (var sub : fullModel().getSubcommands().entrySet()) {
            out.getBuffer().setLength(0);
            if (sub.getKey().equals("help")) {
                assertEquals(0, crossgen("help", "plan"), err::toString);
                assertEquals(fullModel().getSubcommands().get("plan").getUsageMessage(), out.toString());
            } else {
                assertEquals(0, crossgen(sub.getKey(), "--help"), err::toString);
                assertEquals(sub.getValue().getUsageMessage(), out.toString(), sub.getKey());
            }
        }
    }

    @Test
    void anUnknownSubcommandIsRefusedWithTheFullModelsSuggestions() {
        assertEquals(2, crossgen("pla"));
        assertEquals("", out.toString());
        StringWriter full = new StringWriter();
        int status = fullModel().setErr(new PrintWriter(full, true)).execute("pla");
        assertEquals(2, status);
        assertEquals(full.toString(), err.toString());
    }

    @Test
    void versionAloneInAProcessOfItsOwnPrintsWhatPicocliPrints() throws Exception {
        assertEquals(0, crossgen("--version"), err::toString);
        assertEquals("crossgen 0.1.0-SNAPSHOT\n", out.toString());
        for (String option : List.of("--version", "-V")) {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), Main.class.getName(), option)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            p.getOutputStream().close();
            String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(1, TimeUnit.MINUTES), "the JVM ended");
            assertEquals(0, p.exitValue());
            assertEquals(out.toString(), stdout, option);
        }
    }
}
