package io.crossgen.pipeline;

/** How a step of a run ended. */
public enum StepStatus {
    /** It ran to its end. */
    DONE,
    /** It threw, or a command it required failed. */
    FAILED,
    /** It did not run: an earlier step failed, the user skipped it, or a resumed run had done it before. */
    SKIPPED,
    /** It was running when the run was cancelled, interrupted, or its time ran out. */
    CANCELLED
}
