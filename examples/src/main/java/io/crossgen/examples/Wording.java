package io.crossgen.examples;

import io.crossgen.Advice;
import io.crossgen.CrossgenException;
import io.crossgen.pipeline.RunReport;
import io.crossgen.pipeline.StepFailedException;
import io.crossgen.transport.Transports;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The command line's words for the library's {@link Advice}: the library advises API callers in API terms
 * ({@code CopyDefinition.withReplace(true)}, {@code ACCEPT_NEW}); the command line says which of its options does
 * that ({@code --replace}, {@code --accept-new}).
 */
final class Wording {
    private Wording() {
    }

    /** The command line's advice of a kind. */
    static String advice(Advice.Kind kind) {
        return switch (kind) {
            case REPLACE_IMAGE -> "replace it with --replace (mkdef -f), or build it as it is with --existing-image";
            case ACCEPT_NEW_HOST_KEY -> "verify the fingerprint out of band, then add the key to that file or run"
                    + " with --accept-new";
            case ADD_TRANSPORT -> schemes(Transports.discover());
        };
    }

    /** What the command line says about a URI scheme it cannot serve. */
    static String schemes(Transports transports) {
        return "the crossgen command line reaches hosts by " + transports.schemes().stream().sorted()
                .map(s -> s.equals("local") ? "local:" : s + "://").collect(Collectors.joining(" and "))
                + " only";
    }

    /** The message of {@code t}, its advice worded for the command line. */
    static String describe(Throwable t) {
        String m = t.getMessage();
        return reword(m == null || m.isBlank() ? t.getClass().getName() : m, t);
    }

    /** The report's summary, the advice of its failures worded for the command line. */
    static String summary(RunReport report) {
        String text = report.summary();
        try {
            report.requireSuccess();
            return text;
        } catch (StepFailedException e) {
            return reword(text, e);
        }
    }

    /** {@code text} with the API's advice of every exception in {@code t}'s causes replaced by the command line's. */
    static String reword(String text, Throwable t) {
        String out = text;
        for (Throwable c : related(t)) {
            if (c instanceof CrossgenException ce && ce.advice().isPresent()) {
                Advice a = ce.advice().get();
                out = out.replace(a.text(), advice(a.kind()));
            }
        }
        return out;
    }

    /** {@code t}, its causes and their suppressed exceptions (bounded: a cause chain may loop). */
    private static List<Throwable> related(Throwable t) {
        List<Throwable> all = new ArrayList<>();
        for (Throwable c = t; c != null && all.size() < 50; c = c.getCause()) {
            all.add(c);
            all.addAll(List.of(c.getSuppressed()));
        }
        return all;
    }
}
