package io.crossgen.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineTest {
    private static Step step(String name) {
        return Step.of(name, c -> { });
    }

    private final Pipeline seed = Pipeline.builder("seed").step(step("a")).step(step("b")).step(step("c")).build();

    @Test
    void stepsAreInsertedReplacedRemovedAndSkippedByName() {
        Pipeline p = seed.toBuilder()
                .before("a", step("first"))
                .after("b", step("b2"))
                .replace("c", step("c-new"))
                .remove("a")
                .skip("b")
                .build();

        assertEquals(List.of("first", "b", "b2", "c-new"), p.stepNames());
        assertTrue(p.isSkipped("b"));
        assertEquals("Pipeline[seed: first → (skipped) b → b2 → c-new]", p.toString());
        assertEquals("Pipeline[seed: a → b → c]", seed.toString());
    }

    @Test
    void aSecondStepOfTheSameNameIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> seed.toBuilder().after("c", step("a")));

        assertEquals("pipeline 'seed' already has a step named 'a'", e.getMessage());
    }

    @Test
    void namingAMissingStepListsTheSteps() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> seed.toBuilder().replace("nope", step("x")));

        assertEquals("pipeline 'seed' has no step named 'nope' (steps: a, b, c)", e.getMessage());
    }

    @Test
    void replacingWithANameTakenElsewhereLeavesTheBuilderAsItWas() {
        Pipeline.Builder b = seed.toBuilder();

        assertThrows(IllegalArgumentException.class, () -> b.replace("a", step("c")));

        assertEquals(List.of("a", "b", "c"), b.build().stepNames());
    }

    @Test
    void aStepNameMustBeAWord() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Pipeline.builder("p").step(step("two words")));

        assertEquals("step name 'two words' must be a word of letters, digits, '.', '-' or '_'", e.getMessage());
    }
}
