package io.crossgen.examples.bench;

/** One benchmark: runs its cases {@code repetitions} times each against the testbed and returns its table. */
interface Benchmark {

    /** The name {@code bench/run} selects it by. */
    String name();

    /** Runs every case {@code repetitions} times; cleans up what it made, also when it fails. */
    Table run(Testbed testbed, int repetitions) throws Exception;
}
