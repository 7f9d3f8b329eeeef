/**
 * The {@code crossgen} command line ({@link io.crossgen.examples.Main}), the testbed's hosts as seen from Java
 * ({@link io.crossgen.examples.Testbed}), and the benchmarks run by {@code bench/run}. Not a library: nothing
 * here is API.
 */
package io.crossgen.examples;
