/**
 * Test support for code built on crossgen: {@link io.crossgen.testing.ScriptedTransport} runs nothing, records
 * every command per host and answers from rules, so a pipeline (crossgen's own or a user's) can be unit-tested
 * without hosts.
 */
package io.crossgen.testing;
