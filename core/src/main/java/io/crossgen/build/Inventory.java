package io.crossgen.build;

import io.crossgen.command.Command;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The packages installed in an image tree, as its own package database says: {@code rpm -qa --root} for an rpm
 * tree, {@code dpkg-query --admindir} for a Debian one ({@code inventory.sh} beside this class), read on the builder
 * after genimage. {@code database} is {@code rpm}, {@code dpkg} or {@code none} (no database in the tree, or no
 * query tool on the builder); packages are sorted by name, then architecture.
 *
 * <pre>{@code
 * Inventory.parse("dpkg\nbash\t5.2.15-2\tamd64\n").packages().get(0).version()   // "5.2.15-2"
 * }</pre>
 */
public record Inventory(String database, List<Package> packages) {
    /** Nothing known: the inventory of an image whose provenance has none. */
    public static final Inventory NONE = new Inventory("none", List.of());

    /** One installed package; {@code version} is {@code [epoch:]version-release} as the database prints it. */
    public record Package(String name, String version, String arch) {
        public Package {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(arch, "arch");
        }
    }

    public Inventory {
        Objects.requireNonNull(database, "database");
        packages = packages.stream().sorted(Comparator.comparing(Package::name).thenComparing(Package::arch))
                .toList();
    }

    /** The command, run on the builder, that lists the packages of the tree {@code rootimg}. */
    static Command command(String rootimg) {
        return Command.of("sh", "-c", Script.load("inventory.sh"), "crossgen-inventory", rootimg);
    }

    /**
     * Reads what {@link #command} prints: the database's name, then {@code name TAB version TAB arch} lines.
     *
     * @throws BuildException naming the line when a package line has not three fields
     */
    public static Inventory parse(String text) {
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) {
            throw new BuildException("the package inventory printed nothing");
        }
        List<Package> packages = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split("\t", -1);
            if (f.length != 3 || f[0].isEmpty()) {
                throw new BuildException("package inventory line " + (i + 1) + " is not name, version and arch"
                        + " separated by tabs: " + lines.get(i));
            }
            packages.add(new Package(f[0], f[1], f[2]));
        }
        return new Inventory(lines.get(0).strip(), packages);
    }
}
