package io.crossgen.transport.ssh;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bridges JSch's logger to SLF4J, everything at debug under the {@code com.jcraft.jsch} logger: JSch's
 * "info" is a protocol trace, not news for a user. JSch never logs key material or passphrases.
 */
final class JschLogger implements com.jcraft.jsch.Logger {
    static final JschLogger INSTANCE = new JschLogger();
    private static final Logger LOG = LoggerFactory.getLogger("com.jcraft.jsch");

    private JschLogger() {
    }

    @Override
    public boolean isEnabled(int level) {
        return LOG.isDebugEnabled();
    }

    @Override
    public void log(int level, String message) {
        LOG.debug(message);
    }

    @Override
    public void log(int level, String message, Throwable cause) {
        LOG.debug(message, cause);
    }
}
