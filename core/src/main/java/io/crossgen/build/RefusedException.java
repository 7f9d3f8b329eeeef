package io.crossgen.build;

import io.crossgen.Advice;

/**
 * A check refused the build before it changed anything that matters: the builder does not qualify (preflight),
 * another run holds the image's lock, the new osimage exists with other attributes. The command line exits 3
 * for it (1 for a build that failed on the way).
 */
public class RefusedException extends BuildException {
    private static final long serialVersionUID = 1L;

    public RefusedException(String message) {
        super(message);
    }

    /** A refusal whose message is {@code problem + "; " + advice.text()}. */
    public RefusedException(String problem, Advice advice) {
        super(problem, advice);
    }
}
