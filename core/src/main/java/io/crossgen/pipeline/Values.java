package io.crossgen.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The values the steps of one run pass on through {@link Key}s. Each is saved as JSON in the report, so that a
 * resumed run reads back, on first use, what the steps it skips stored in the run it resumes.
 */
final class Values {
    private static final Logger LOG = LoggerFactory.getLogger(PipelineRunner.class);

    private final boolean planning;
    private final String previousRunId;
    private final Map<String, RunReport.SavedValue> restorable = new HashMap<>();
    private final Map<Key<?>, Object> values = new HashMap<>();
    private final Map<String, RunReport.SavedValue> saved = new LinkedHashMap<>();

    /** The values of a plan or a new run, or, given the report of the run it resumes, of a resumed run. */
    Values(boolean planning, Optional<RunReport> previous) {
        this.planning = planning;
        this.previousRunId = previous.map(RunReport::runId).orElse(null);
        previous.ifPresent(prev -> prev.values().forEach(v -> {
            restorable.put(v.key(), v);
            saved.put(v.key(), v);
        }));
    }

    /** Stores a value; true when it was also saved for the report (in a run, not in a plan). */
    <T> boolean put(Key<T> key, T value, String step) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, () -> "value of " + key);
        if (!key.type().isInstance(value)) {
            throw new IllegalArgumentException("value of " + key + " is a " + value.getClass().getName());
        }
        synchronized (values) {
            values.put(key, value);
        }
        if (planning) {
            return false;
        }
        Optional<String> json;
        try {
            String text = JsonCodec.MAPPER.writeValueAsString(value);
            JsonCodec.MAPPER.readValue(text, key.type());
            json = Optional.of(text);
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.debug("value {} of step {} cannot be saved as JSON, a resumed run cannot restore it: {}", key, step,
                    e.toString());
            json = Optional.empty();
        }
        synchronized (values) {
            saved.put(key.name(), new RunReport.SavedValue(key.name(), key.type().getName(), step, json));
        }
        return true;
    }

    <T> Optional<T> get(Key<T> key) {
        Objects.requireNonNull(key, "key");
        synchronized (values) {
            Object v = values.get(key);
            if (v != null) {
                return Optional.of(key.type().cast(v));
            }
            RunReport.SavedValue s = restorable.get(key.name());
            if (s == null || s.json().isEmpty() || !s.type().equals(key.type().getName())) {
                return Optional.empty();
            }
            try {
                T restored = JsonCodec.MAPPER.readValue(s.json().get(), key.type());
                values.put(key, restored);
                return Optional.of(restored);
            } catch (JsonProcessingException | RuntimeException e) {
                LOG.warn("value {} saved by step {} in run {} could not be restored: {}", key, s.step(),
                        previousRunId, e.toString());
                return Optional.empty();
            }
        }
    }

    <T> T require(Key<T> key, String step) {
        Optional<T> v = get(key);
        if (v.isPresent()) {
            return v.get();
        }
        String needs = "step '" + step + "' requires value '" + key + "', ";
        RunReport.SavedValue s;
        synchronized (values) {
            s = restorable.get(key.name());
        }
        if (s == null) {
            throw new PipelineException(needs + "which no earlier step has stored");
        }
        String resume = "; resume from step '" + s.step() + "' or earlier instead";
        if (s.json().isEmpty()) {
            throw new PipelineException(needs + "which step '" + s.step() + "' stored in run " + previousRunId
                    + ", but it could not be saved as JSON" + resume);
        }
        if (!s.type().equals(key.type().getName())) {
            throw new PipelineException(needs + "but run " + previousRunId + " saved it as a " + s.type() + resume);
        }
        throw new PipelineException(needs + "which step '" + s.step() + "' stored in run " + previousRunId
                + ", but its JSON could not be read back" + resume);
    }

    /** What the report saves: the values stored so far, and those restorable from the run resumed. */
    List<RunReport.SavedValue> saved() {
        synchronized (values) {
            return List.copyOf(saved.values());
        }
    }
}
