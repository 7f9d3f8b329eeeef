package io.crossgen.transport.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** What /proc says about a process, for tests that must prove a process is gone. */
final class Processes {
    private Processes() {
    }

    /** Whether the process no longer runs (absent, or a zombie waiting to be reaped). */
    static boolean gone(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state == 'Z' || state == 'X';
        } catch (NoSuchFileException e) {
            return true;
        } catch (IOException e) {
            return true;
        }
    }

    /** Waits up to 20 s for the process to be gone; returns whether it went. */
    static boolean awaitGone(long pid) throws InterruptedException {
        for (int i = 0; i < 400; i++) {
            if (gone(pid)) {
                return true;
            }
            Thread.sleep(50);
        }
        return gone(pid);
    }
}
