package io.crossgen.examples.bench;

import io.crossgen.command.Command;
import io.crossgen.examples.Testbed;

import io.crossgen.examples.Testbed;

/** One benchmark: runs its cases {@code repetitions} times each against the testbed and returns its table. */
interface Benchmark {

    /** The name {@code bench/run} selects it by. */
    String name();

    /** Runs every case {@code repetitions} times; cleans up what it made, also when it fails. */
    Table run(Testbed testbed, int repetitions) throws Exception;

    /** {@code sh -c script bench args...}: a script run by the host's shell, with positional arguments. */
    static Command sh(String script, String... args) {
        return Command.builder().addArgs("sh", "-c", script, "bench").addArgs(args).build();
    }
}
