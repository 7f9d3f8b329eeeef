package io.crossgen.command;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fits a genimage command to its family's script for a builder: drops the options the script lacks, with a
 * warning each, and turns {@code --env} into variables to export; the rules are documented on
 * {@link GenimageCommand#replay()}, the public entry.
 */
final class GenimageReplay {

    private GenimageReplay() {
    }

    /** See {@link GenimageCommand#replay()}. */
    static GenimageCommand.Replay of(GenimageCommand command) {
        GenimageScript script = command.script();
        String family = command.family();
        String scriptName = script.folder() + "/genimage";
        Map<GenimageOption, List<String>> options = command.options();
        List<GenimageOption> lacking = options.keySet().stream().filter(o -> !script.supports(o)).toList();
        if (lacking.isEmpty()) {
            return new GenimageCommand.Replay(command, Map.of(), List.of());
        }
        boolean named = options.containsKey(GenimageOption.IMAGENAME) && script.supports(GenimageOption.IMAGENAME);
        String verbatim = named ? ": run verbatim, its value would have become a stray word" : ": run verbatim, it"
                + " would have taken '" + lacking.get(0).spelling() + "' as the image name";
        GenimageCommand.Builder b = command.toBuilder();
        Map<String, String> environment = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>();
        for (GenimageOption o : lacking) {
            b.set(o, null);
            String head = scriptName + (family.equals(script.folder()) ? "" : " (family " + family + ")")
                    + " has no " + o.spelling() + verbatim;
            if (o == GenimageOption.ENV) {
                List<String> problems = new ArrayList<>();
                environment.putAll(exports(options.get(o), problems));
                warnings.add(head + "; its variables " + (environment.isEmpty() ? "(none usable)"
                        : String.join(", ", environment.keySet())) + " are exported into genimage's environment"
                        + " instead");
                warnings.addAll(problems);
            } else {
                warnings.add(head + "; left out, so " + o.spelling()
                        + (o.kind() == GenimageOption.Kind.FLAG ? "" : " " + String.join(",", options.get(o)))
                        + o.attribute().map(a -> " (osimage attribute " + a + ")").orElse("")
                        + " has no effect on this build");
            }
        }
        return new GenimageCommand.Replay(b.build(), environment, warnings);
    }

    /** {@code --env} items as {@code rh/genimage} exports them; problems collects what was cut or left out. */
    private static Map<String, String> exports(List<String> items, List<String> problems) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String item : items) {
            if (item.isBlank()) {
                continue;
            }
            String[] parts = item.split("=", -1);
            String name = parts[0].strip();
            String value = parts.length > 1 ? parts[1].strip() : "";
            if (!Command.isEnvName(name)) {
                problems.add("environvar item '" + item + "' is left out: '" + name + "' is not a shell variable"
                        + " name ([A-Za-z_][A-Za-z0-9_]*)");
                continue;
            }
            if (parts.length > 2) {
                problems.add("environvar item '" + item + "': rh/genimage keeps only '" + value + "' as the value"
                        + " of " + name + " (it ends at the second '='); so does crossgen");
            }
            out.put(name, value);
        }
        return out;
    }
}
