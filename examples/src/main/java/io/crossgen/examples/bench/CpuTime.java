package io.crossgen.examples.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time spent on this machine between two readings: by every process ({@code /proc/stat}'s busy jiffies) and by
 * this JVM alone. The benchmarks run the controller and both testbed hosts on one machine, so what the machine
 * spends beyond the JVM is the hosts' work (sshd, shells, the xCAT stand-ins, genimage).
 *
 * @param machineSeconds CPU seconds every process spent
 * @param jvmSeconds CPU seconds this JVM spent
 */
record CpuTime(double machineSeconds, double jvmSeconds) {
    /** Clock ticks per second of {@code /proc/stat}: USER_HZ, 100 on every Linux architecture crossgen runs on. */
    private static final double TICKS = 100.0;

    /** The totals since boot (machine) and since the JVM started. */
    static CpuTime now() throws IOException {
        String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0);
        String[] f = cpu.trim().split("\\s+");
        // cpu user nice system idle iowait irq softirq steal ...: busy is all but idle and iowait
        long busy = 0;
        for (int i = 1; i < f.length && i <= 8; i++) {
            if (i != 4 && i != 5) {
                busy += Long.parseLong(f[i]);
            }
        }
        double jvm = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
        return new CpuTime(busy / TICKS, jvm);
    }

    /** What was spent from {@code earlier} to this reading. */
    CpuTime since(CpuTime earlier) {
        return new CpuTime(machineSeconds - earlier.machineSeconds, jvmSeconds - earlier.jvmSeconds);
    }

    /** What the machine spent beyond this JVM: the testbed hosts' share. */
    double hostsSeconds() {
        return machineSeconds - jvmSeconds;
    }
}
