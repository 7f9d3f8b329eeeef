package io.crossgen.command;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the {@code cd <folder>; ./genimage ...} line that {@code genimage --dryrun} prints into a
 * {@link GenimageCommand}; {@link GenimageCommand#fromDryRun(String)} says what is accepted and refused.
 */
final class DryRunParser {
    private static final Logger LOG = LoggerFactory.getLogger(GenimageCommand.class);
    private static final Pattern CD_LINE = Pattern.compile("^cd (\\S+?)\\s*;\\s*\\./genimage(?:\\s+(.*))?$");
    private static final int LINE_CHARS = 200;

    private DryRunParser() {
    }

    static GenimageCommand parse(String stdout) {
        Objects.requireNonNull(stdout, "stdout");
        Set<String> found = new LinkedHashSet<>();
        for (String raw : stdout.split("\r?\n|\r", -1)) {
            String line = XcatOutput.unprefixed(raw);
            if (CD_LINE.matcher(line).matches()) {
                found.add(line);
            }
        }
        if (found.isEmpty()) {
            throw new CommandException("genimage --dryrun printed no 'cd <folder>; ./genimage ...' line"
                    + " (with --interactive, --dryrun stops after 'Generating image:'); it printed:"
                    + CommandException.excerpt(stdout));
        }
        if (found.size() > 1) {
            throw new CommandException("genimage --dryrun printed " + found.size()
                    + " different 'cd <folder>; ./genimage' lines; expected one:"
                    + CommandException.excerpt(String.join("\n", found)));
        }
        return parseLine(found.iterator().next());
    }

    private static GenimageCommand parseLine(String line) {
        Matcher m = CD_LINE.matcher(line);
        if (!m.matches()) {
            throw new IllegalStateException(line);
        }
        String folder = m.group(1);
        String marker = "/share/xcat/netboot/";
        int at = folder.lastIndexOf(marker);
        String family = at < 0 ? "" : folder.substring(at + marker.length());
        String root = at < 0 ? "" : folder.substring(0, at);
        if (at < 0 || family.isEmpty() || family.contains("/") || !root.startsWith("/")) {
            throw new CommandException("genimage --dryrun line changes into '" + folder
                    + "', which is not a <XCATROOT>/share/xcat/netboot/<family> folder: " + cut(line));
        }
        List<String> words = tokenize(m.group(2) == null ? "" : m.group(2), line);
        GenimageCommand.Builder b = GenimageCommand.builder().xcatRoot(root).family(family);
        List<String> leftovers = new ArrayList<>();
        boolean lastIsLeftover = false;
        String lastRole = "";
        int i = 0;
        while (i < words.size()) {
            String word = words.get(i);
            String name = word;
            String inlineValue = null;
            int eq = word.indexOf('=');
            if (word.startsWith("--") && eq > 2) {
                name = word.substring(0, eq);
                inlineValue = word.substring(eq + 1);
            }
            if (name.equals("--tempfile")) {
                i += inlineValue != null ? 1 : 2;
                lastIsLeftover = false;
                lastRole = "the value of --tempfile";
                continue;
            }
            Optional<GenimageOption> option = GenimageOption.bySpelling(name);
            if (option.isEmpty() || (inlineValue != null && option.get().kind() == GenimageOption.Kind.FLAG)) {
                leftovers.add(word);
                lastIsLeftover = true;
                i++;
                continue;
            }
            GenimageOption o = option.get();
            if (b.has(o)) {
                throw new CommandException("genimage --dryrun line gives " + o.spelling() + " twice: " + cut(line));
            }
            lastIsLeftover = false;
            if (o.kind() == GenimageOption.Kind.FLAG) {
                b.set(o, List.of());
                lastRole = "the option " + o.spelling();
                i++;
                boolean stray = (o == GenimageOption.IGNOREKERNELCHK || o == GenimageOption.NOUPDATE)
                        && i < words.size() && words.get(i).equals("1");
                if (stray) {
                    lastRole = "the stray 1 xCAT writes after " + o.spelling();
                    i++;
                }
                continue;
            }
            lastRole = "the value of " + o.spelling();
            String value;
            if (inlineValue != null) {
                value = inlineValue;
                i++;
            } else {
                if (i + 1 >= words.size()) {
                    throw new CommandException("genimage --dryrun line ends with option " + o.spelling()
                            + " but no value; is the output cut short? " + cut(line));
                }
                value = words.get(i + 1);
                i += 2;
            }
            b.set(o, o.asWritten(value));
        }
        if (!lastIsLeftover && !b.has(GenimageOption.IMAGENAME)) {
            String last = words.isEmpty() ? null : words.get(words.size() - 1);
            throw new CommandException("genimage --dryrun line does not end with an image name"
                    + (last == null ? "" : " (the last word '" + cut(last) + "' is " + lastRole + ")")
                    + "; is the output cut short? " + cut(line));
        }
        String image = lastIsLeftover ? leftovers.remove(leftovers.size() - 1) : null;
        if (!leftovers.isEmpty()) {
            LOG.warn("genimage --dryrun line holds words crossgen does not model, kept as extra arguments: {}",
                    leftovers);
        }
        b.imageName(image).extraArgs(leftovers);
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new CommandException("genimage --dryrun line cannot be replayed on a builder: " + e.getMessage(), e);
        }
    }

    /** Splits on whitespace; double quotes group words and are removed (xCAT writes no escapes). */
    private static List<String> tokenize(String text, String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                inWord = true;
            } else if (!quoted && Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quoted) {
            throw new CommandException("genimage --dryrun line has an unterminated double quote: " + cut(line));
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }


    private static String cut(String line) {
        return line.length() > LINE_CHARS ? line.substring(0, LINE_CHARS) + "..." : line;
    }
}
