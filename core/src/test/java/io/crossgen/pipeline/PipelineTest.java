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

    @Test
    void aStepThatDeclaresNoNeedsKeepsItsPlaceBetweenStepsThatDo() {
        Pipeline p = Pipeline.builder("p").step(step("a").needing()).step(step("x")).step(step("b").needing())
                .step(step("c").needing("a")).build();

        assertEquals(List.of(), p.needs("a"));
        assertEquals(List.of("a"), p.needs("x"));
        assertEquals(List.of("x"), p.needs("b"));
        assertEquals(List.of("x"), p.needs("c"));   // after x, which comes after a
    }

    @Test
    void stepsThatDeclareNothingRunInPipelineOrderOneGroupEach() {
        Pipeline p = Pipeline.builder("p").step(step("a")).step(step("b")).step(step("c")).build();

        assertEquals(List.of("a", "b"), p.graph().order().subList(0, 2));
        assertEquals(List.of(List.of("a"), List.of("b"), List.of("c")), p.graph().together());
        assertEquals(List.of("b"), p.needs("c"));
    }

    @Test
    void aNeedOfAStepThatIsNotInThePipelineIsIgnored() {
        Pipeline p = Pipeline.builder("p").step(step("a").needing()).step(step("b").needing("a", "removed"))
                .step(step("c").needing("removed")).build();

        assertEquals(List.of("a"), p.needs("b"));
        assertEquals(List.of(), p.needs("c"));
        assertEquals(List.of(List.of("a", "c"), List.of("b")), p.graph().together());
    }

    @Test
    void needsThatFormACycleFailTheBuildNamingTheSteps() {
        Pipeline.Builder b = Pipeline.builder("p").step(step("first").needing()).step(step("a").needing("b"))
                .step(step("b").needing("first", "a"));

        PipelineException e = assertThrows(PipelineException.class, b::build);

        assertEquals("pipeline 'p' cannot run: its steps need each other in a cycle: a needs b needs a",
                e.getMessage());
    }

    @Test
    void aStepThatNeedsItselfIsACycle() {
        PipelineException e = assertThrows(PipelineException.class,
                () -> Pipeline.builder("p").step(step("a").needing("a")).build());

        assertEquals("pipeline 'p' cannot run: its steps need each other in a cycle: a needs a", e.getMessage());
    }

    @Test
    void aStepNeedingALaterStepIsPlannedAfterIt() {
        Pipeline p = Pipeline.builder("p").step(step("a").needing("b")).step(step("b").needing()).build();

        assertEquals(List.of("b", "a"), p.graph().order());
    }
}
