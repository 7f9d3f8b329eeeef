package io.crossgen.build;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.crossgen.pipeline.Plan;
import io.crossgen.testing.ScriptedTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class GoldenPlanTest {

    @Test
    void seedExamplePlanIsTheGoldenOne() throws Exception {
        ScriptedTransport hosts = new ScriptedTransport().strict();
        Plan plan = Seed.build(hosts).definition(Seed.source()).build().plan();
        String actual = plan.toScript();
        String golden = Seed.resource("seed.plan");
        if (!golden.equals(actual) && System.getenv("CROSSGEN_GOLDEN_WRITE") != null) {
            Files.writeString(Path.of(System.getenv("CROSSGEN_GOLDEN_WRITE")), actual);
        }
        assertEquals(golden, actual);
        assertEquals(0, hosts.commands().size(), "a plan runs nothing");
    }
}
