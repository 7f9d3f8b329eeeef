package io.crossgen.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class ShellTest {
    /** Words a shell would love to interpret. */
    static final List<String> HOSTILE = List.of(
            "", " ", "two words", "tab\there", "new\nline", "trailing newline\n", "\n", "cr\rreturn", "crlf\r\n",
            "'", "''", "it's", "\"", "say \"hi\"", "'\"'\"'", "$HOME", "${HOME}", "$(id)", "`id`", "$((1+1))",
            "a;b", "a|b", "a&b", "a&&b", "a||b", "<in", ">out", "2>&1", "a>b<c", "*", "?", "[a-z]*", "/*", "~",
            "~root", "a=~", "-", "-n", "--help", "-e", "=", "==", "=cmd", "a=b", "PATH=/nowhere", "!", "!!", "!$",
            "\\", "\\n", "a\\", "\\'", "#", "#comment", "a#b", "{a,b}", "{1..3}", "{", "}", "(", ")", "((", "[[",
            "]]", "if", "then", "fi", "time", "%", "%1", "^", "a^b", "@", "+", "...", "--", "\t", "é", "日本語",
            "emoji 😀", "nbsp\u00a0here", "zero\u200bwidth", "\u001b[31mred", "\u0001\u0002\u007f",
            "x".repeat(4096), "'".repeat(4096), "$(".repeat(2048), "é".repeat(4096));

    @TempDir
    Path tmp;

    private Path printer;

    @BeforeEach
    void writePrinter() throws IOException {
        // A folder with a space and a quote: the printer's own path must survive quoting too.
        printer = RealShell.script(tmp.resolve("fix ture's \"dir\"").resolve("print args"), RealShell.ARGV_PRINTER);
    }

    @ParameterizedTest
    @FieldSource("io.crossgen.command.RealShell#SHELLS")
    void everyHostileWordReachesTheProgramByteIdentical(String shell) throws Exception {
        List<List<String>> cases = new ArrayList<>();
        for (String word : HOSTILE) {
            cases.add(List.of(word));
            cases.add(List.of("before", word, "after"));
        }
        cases.add(HOSTILE.subList(0, HOSTILE.size() - 4));
        cases.add(List.of());
        assertRoundTrip(shell, cases);
    }

    @ParameterizedTest
    @FieldSource("io.crossgen.command.RealShell#SHELLS")
    void threeThousandRandomArgvsReachTheProgramByteIdentical(String shell) throws Exception {
        Random random = new Random(20260821L);
        List<List<String>> cases = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            int n = random.nextInt(6);
            List<String> argv = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                argv.add(randomWord(random));
            }
            cases.add(argv);
        }
        assertRoundTrip(shell, cases);
    }

    @ParameterizedTest
    @FieldSource("io.crossgen.command.RealShell#SHELLS")
    void hostileProgramNamesRunAsProgramsNotAsSyntax(String shell) throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        List<String> names = List.of("if", "time", "while", "function", "coproc", "a=b", "=x", "!", "{", "}",
                "[[", "$x", "it's", "two words", "-dash");
        for (String name : names) {
            RealShell.script(bin.resolve(name), RealShell.ARGV_PRINTER);
        }
        StringBuilder script = new StringBuilder();
        for (String name : names) {
            script.append(Shell.join(List.of(name, name, "$x"))).append('\n');
        }
        byte[] out = RealShell.run(shell, script.toString(), null, Map.of("PATH", bin + ":/usr/bin:/bin"));
        List<List<String>> expected = names.stream().map(n -> List.of(RealShell.bytes(n), "$x")).toList();
        assertEquals(expected, RealShell.argvs(out));
    }

    @ParameterizedTest
    @FieldSource("io.crossgen.command.RealShell#SHELLS")
    void renderedCommandStartsInTheFolderWithTheEnvironment(String shell) throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("a dir with 'quotes' \"and\" $HOME `id` ; & *"));
        Path where = RealShell.script(tmp.resolve("where"),
                "#!/bin/sh\n/bin/pwd -P\nprintf '\\0'\nexec /usr/bin/env -0\n");
        String newlines = "line one\nline two\n";
        Command cmd = Command.builder().addArgs(where.toString())
                .workingDirectory(folder.toString())
                .env("DOLLAR", "$HOME and ${PATH} and $(id) and `id`")
                .env("QUOTES", "it's \"quoted\" '' \\")
                .env("NEWLINES", newlines)
                .env("EMPTY", "")
                .env("GLOB", "* ~ ?")
                .build();
        Result r = where(shell, Shell.render(cmd), null, Map.of());
        assertEquals(folder.toRealPath().toString(), r.pwd);
        assertEquals("$HOME and ${PATH} and $(id) and `id`", r.env.get("DOLLAR"));
        assertEquals("it's \"quoted\" '' \\", r.env.get("QUOTES"));
        assertEquals(newlines, r.env.get("NEWLINES"));
        assertEquals("", r.env.get("EMPTY"));
        assertEquals("* ~ ?", r.env.get("GLOB"));
    }

    @ParameterizedTest
    @FieldSource("io.crossgen.command.RealShell#SHELLS")
    void relativeFolderIgnoresCdpathAndALeadingDash(String shell) throws Exception {
        Path base = Files.createDirectories(tmp.resolve("base"));
        Path decoy = Files.createDirectories(tmp.resolve("decoy"));
        Files.createDirectories(base.resolve("-P"));
        Files.createDirectories(decoy.resolve("-P"));
        Files.createDirectories(base.resolve("sub"));
        Files.createDirectories(decoy.resolve("sub"));
        Path where = RealShell.script(tmp.resolve("where"),
                "#!/bin/sh\n/bin/pwd -P\nprintf '\\0'\nexec /usr/bin/env -0\n");
        Map<String, String> cdpath = Map.of("CDPATH", decoy.toString());
        for (String dir : List.of("-P", "sub")) {
            Command cmd = Command.builder().addArgs(where.toString()).workingDirectory(dir).build();
            assertEquals("cd ./" + dir + " && " + Shell.quote(where.toString()), Shell.render(cmd));
            Result r = where(shell, Shell.render(cmd), base, cdpath);
            assertEquals(base.resolve(dir).toRealPath().toString(), r.pwd);
        }
    }

    @Test
    void safeWordsStayBareAndOthersAreSingleQuoted() {
        assertEquals("/install/netboot/rh-8.8_x86:64,a@b%c+d=e", Shell.quote("/install/netboot/rh-8.8_x86:64,a@b%c+d=e"));
        assertEquals("''", Shell.quote(""));
        assertEquals("'it'\\''s $HOME'", Shell.quote("it's $HOME"));
        assertEquals("'=cmd'", Shell.quote("=cmd"));
        assertEquals("'~'", Shell.quote("~"));
        assertEquals("'é'", Shell.quote("é"));
    }

    @Test
    void firstWordIsQuotedWhenItHoldsAnEqualsSignOrIsAReservedWord() {
        assertEquals("'a=b' a=b", Shell.join(List.of("a=b", "a=b")));
        assertEquals("'if' if", Shell.join(List.of("if", "if")));
        assertEquals("'time' ls", Shell.join(List.of("time", "ls")));
        assertEquals("ls -l", Shell.join(List.of("ls", "-l")));
    }

    @Test
    void renderWritesCdThenExportThenTheCommand() {
        Command cmd = Command.of("./genimage", "-o", "rhels8.8.0", "my image")
                .withWorkingDirectory("/opt/xcat/share/xcat/netboot/rh")
                .withEnv("LC_ALL", "C")
                .withEnv("MSG", "it's");
        assertEquals("cd /opt/xcat/share/xcat/netboot/rh && export LC_ALL=C MSG='it'\\''s' && ./genimage -o rhels8.8.0 "
                + "'my image'", Shell.render(cmd));
        assertEquals(Shell.render(cmd), cmd.toString());
    }

    private void assertRoundTrip(String shell, List<List<String>> cases) throws Exception {
        List<List<String>> batch = new ArrayList<>();
        StringBuilder script = new StringBuilder();
        for (List<String> argv : cases) {
            List<String> full = new ArrayList<>();
            full.add(printer.toString());
            full.addAll(argv);
            String line = Shell.join(full);
            // One shell per 100 cases, and each -c argument well under Linux's 128 KiB limit per argument.
            if (!batch.isEmpty() && (batch.size() == 100 || script.length() + line.length() > 60_000)) {
                runBatch(shell, script.toString(), batch);
                batch.clear();
                script.setLength(0);
            }
            batch.add(argv);
            script.append(line).append('\n');
        }
        runBatch(shell, script.toString(), batch);
    }

    private void runBatch(String shell, String script, List<List<String>> batch) throws Exception {
        byte[] out = RealShell.run(shell, script, null, Map.of());
        List<List<String>> expected = batch.stream().map(a -> a.stream().map(RealShell::bytes).toList()).toList();
        assertEquals(expected, RealShell.argvs(out), () -> "through " + shell + ":\n" + script);
    }

    private static final String ALPHABET = "abcXYZ019 _-./:=,@%+~'\"$`\\;|&<>(){}[]*?!#^\t\n\r";
    private static final int[] FOREIGN = {0xe9, 0x65e5, 0x1f600, 0xa0, 0x2028, 0x7f, 0x1b, 0x1};

    private static String randomWord(Random random) {
        int length = random.nextInt(random.nextInt(10) == 0 ? 300 : 24);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            if (random.nextInt(12) == 0) {
                sb.appendCodePoint(FOREIGN[random.nextInt(FOREIGN.length)]);
            } else {
                sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
        }
        return sb.toString();
    }

    private record Result(String pwd, Map<String, String> env) {
    }

    private static Result where(String shell, String line, Path dir, Map<String, String> env) throws Exception {
        byte[] out = RealShell.run(shell, line, dir, env);
        List<byte[]> items = RealShell.items(out);
        String pwd = new String(items.get(0), StandardCharsets.UTF_8);
        Map<String, String> vars = new java.util.HashMap<>();
        for (byte[] item : items.subList(1, items.size())) {
            String kv = new String(item, StandardCharsets.UTF_8);
            int eq = kv.indexOf('=');
            vars.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return new Result(pwd.substring(0, pwd.length() - 1), vars);
    }
}
