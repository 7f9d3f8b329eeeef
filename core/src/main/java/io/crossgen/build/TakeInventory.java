package io.crossgen.build;

import io.crossgen.image.OsImage;
import io.crossgen.pipeline.Step;
import io.crossgen.pipeline.StepContext;
import io.crossgen.transport.ExecException;
import io.crossgen.transport.ExecResult;
import java.util.Optional;
import java.util.Set;

/**
 * Lists the packages genimage installed, on the builder, right after {@link Generate}: {@code rpm -qa --root} or
 * {@code dpkg-query --admindir} on the image tree (in the stage when {@link StageImage} staged the build), see
 * {@link Inventory}. The inventory is a byproduct: a tree with no package database, a builder without the query
 * tool, or a listing that fails gives an empty inventory and a warning, not a failed build. Needs {@link BuildKeys#IMAGE}; stores {@link BuildKeys#INVENTORY}.
 */
public final class TakeInventory implements Step {
    /** The step's name. */
    public static final String NAME = "inventory";

    private TakeInventory() {
    }

    /** The step. */
    public static TakeInventory defaults() {
        return new TakeInventory();
    }

    @Override
    public String intent() {
        return "list the packages installed in the image (rpm or dpkg database), on the builder";
    }

    /** Needs the image genimage built, in the stage. */
    @Override
    public Optional<Set<String>> needs() {
        return Optional.of(Set.of(Generate.NAME, StageImage.NAME));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(StepContext context) throws InterruptedException {
        OsImage image = BuildKeys.image(context);
        String rootimg = context.get(BuildKeys.STAGE).orElseGet(() -> RootimgDir.of(image,
                SitePaths.of(context).installdir())) + "/rootimg";
        ExecResult r = context.exec(BuildRoles.BUILDER, Inventory.command(rootimg));
        if (context.planning()) {
            return;
        }
        Inventory inventory;
        try {
            inventory = Inventory.parse(r.requireSuccess().stdout().text());
        } catch (BuildException | ExecException e) {
            context.warn("could not list the packages in " + rootimg + " (" + e.getMessage() + "): the image's"
                    + " provenance lists none");
            context.put(BuildKeys.INVENTORY, Inventory.NONE);
            return;
        }
        if (inventory.database().equals("none")) {
            context.warn("no rpm or dpkg database in " + rootimg + " that the builder can read: the image's"
                    + " provenance lists no packages");
        } else {
            context.note(inventory.packages().size() + " packages in " + rootimg + " (" + inventory.database() + ")");
        }
        context.put(BuildKeys.INVENTORY, inventory);
    }

    @Override
    public String toString() {
        return NAME;
    }
}
