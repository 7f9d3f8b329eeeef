/**
 * The {@code local:} transport: commands run as processes of this machine (Apache Commons Exec), each in its own
 * session and process group so that a cancel stops the whole tree. Found through {@link java.util.ServiceLoader}.
 */
package io.crossgen.transport.local;
