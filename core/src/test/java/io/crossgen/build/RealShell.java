package io.crossgen.build;

import io.crossgen.command.Command;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** Runs a command's argv as a local process, for tests of the scripts the steps send. */
final class RealShell {
    private RealShell() {
    }

    record Result(int exit, String stdout, String stderr) {
    }

    /** Runs it with its stdin ({@link Command#stdin()}: none closes it at once) and waits at most 60 s. */
    static Result run(Command command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command.argv());
        command.workingDirectory().ifPresent(d -> pb.directory(new java.io.File(d)));
        pb.environment().putAll(command.environment());
        Process p = pb.start();
        try (java.io.OutputStream in = p.getOutputStream(); java.io.InputStream given = command.stdin().open()) {
            given.transferTo(in);
        }
        var out = new java.util.concurrent.CompletableFuture<String>();
        var err = new java.util.concurrent.CompletableFuture<String>();
        Thread t1 = new Thread(() -> out.complete(read(p.getInputStream())));
        Thread t2 = new Thread(() -> err.complete(read(p.getErrorStream())));
        t1.start();
        t2.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not end within 60 s");
        }
        t1.join();
        t2.join();
        return new Result(p.exitValue(), out.join(), err.join());
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
