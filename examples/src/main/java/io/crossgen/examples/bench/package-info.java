/**
 * Benchmarks of crossgen against the testbed ({@code testbed/up}): copy throughput, overhead against the manual
 * procedure as a bash script, parallel builds, memory under huge output, SSH round trips. Run them with
 * {@code bench/run}; they print Markdown tables and never assert timings.
 */
package io.crossgen.examples.bench;
