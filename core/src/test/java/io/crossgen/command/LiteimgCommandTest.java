package io.crossgen.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class LiteimgCommandTest {
    private final LiteimgCommand lite = LiteimgCommand.of("lite1");

    @Test
    void argvIsLiteimgAndTheImageName() {
        assertEquals(List.of("liteimg", "lite1"), lite.toCommand().argv());
    }

    @Test
    void successGivesTheModifiedTree() {
        assertEquals("/install/netboot/r/x/lite1/rootimg", lite.parseResult("Modifying /install/netboot/r/x/lite1/rootimg"
                + " ...\ncreating /install/netboot/r/x/lite1/rootimg/.statelite\n"
                + "Modifying /install/netboot/r/x/lite1/rootimg done.\n", "", 0));
    }

    @Test
    void anErrorLineFailsEvenWhenLiteimgExitsZero() {
        CommandException e = assertThrows(CommandException.class, () -> lite.parseResult("Modifying /r/rootimg ...\n",
                "Error: [xcatmn]: parseLiteFiles failed for listNew!\n", 0));
        assertEquals("liteimg lite1 failed (exit 0): parseLiteFiles failed for listNew!", e.getMessage());
    }

    @Test
    void aNetbootImageIsRefusedWithXcatsMessage() {
        CommandException e = assertThrows(CommandException.class, () -> lite.parseResult("", "Error: [xcatmn]: Please"
                + " make sure that osimage.provmethod is set to statelite before calling this command.\n", 1));
        assertEquals("liteimg lite1 failed (exit 1): Please make sure that osimage.provmethod is set to statelite"
                + " before calling this command.", e.getMessage());
    }

    @Test
    void withoutTheDoneLineTheRunIsNotTakenAsFinished() {
        CommandException e = assertThrows(CommandException.class, () -> lite.parseResult("Modifying /r/rootimg ...\n",
                "", 0));
        assertEquals("liteimg lite1 printed no 'Modifying <rootimg> done.' line; it printed:"
                + CommandException.excerpt("Modifying /r/rootimg ...\n"), e.getMessage());
    }
}
