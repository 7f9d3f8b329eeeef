package io.crossgen.transport.ssh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parts of an OpenSSH client configuration file the transport honours, with OpenSSH's semantics: the
 * first value found for a keyword wins, {@code Host} patterns take {@code *}, {@code ?} and {@code !}
 * negation, keywords are case-insensitive, {@code key value} and {@code key=value} both work.
 *
 * <p>JSch's own {@code OpenSSHConfig} is not used: it treats a lone negated pattern as matching every other
 * host, which OpenSSH does not. {@code Match} blocks and {@code Include} are not supported; their contents
 * are skipped (logged at debug).
 */
final class SshConfigFile {
    private static final Logger LOG = LoggerFactory.getLogger(SshConfigFile.class);

    private record Block(List<String> patterns, List<String[]> options) {
        boolean matches(String alias) {
            if (patterns == null) {
                return true;
            }
            boolean matched = false;
            for (String p : patterns) {
                boolean negated = p.startsWith("!");
                String pattern = negated ? p.substring(1) : p;
                if (KnownHostsFile.wildcardMatch(pattern.toLowerCase(Locale.ROOT), alias.toLowerCase(Locale.ROOT))) {
                    if (negated) {
                        return false;
                    }
                    matched = true;
                }
            }
            return matched;
        }
    }

    static final SshConfigFile EMPTY = new SshConfigFile(List.of());

    private final List<Block> blocks;

    private SshConfigFile(List<Block> blocks) {
        this.blocks = blocks;
    }

    /** Reads the file; a missing file is empty. */
    static SshConfigFile read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return EMPTY;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ssh config file " + file, e);
        }
        return parse(lines, file.toString());
    }

    static SshConfigFile parse(List<String> lines, String name) {
        List<Block> blocks = new ArrayList<>();
        Block current = new Block(null, new ArrayList<>());
        blocks.add(current);
        boolean skipping = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] kv = line.split("\\s*=\\s*|\\s+", 2);
            String key = kv[0].toLowerCase(Locale.ROOT);
            String value = kv.length > 1 ? kv[1].strip() : "";
            if (key.equals("host")) {
                current = new Block(List.of(value.split("\\s+")), new ArrayList<>());
                blocks.add(current);
                skipping = false;
            } else if (key.equals("match")) {
                LOG.debug("{}:{}: Match blocks are not supported; skipping it", name, i + 1);
                skipping = true;
            } else if (key.equals("include")) {
                LOG.debug("{}:{}: Include is not supported; skipping it", name, i + 1);
            } else if (!skipping) {
                current.options().add(new String[] {key, unquote(value)});
            }
        }
        return new SshConfigFile(List.copyOf(blocks));
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    /** Every value of every keyword (lower case) that applies to {@code alias}, in file order. */
    Map<String, List<String>> lookup(String alias) {
        Map<String, List<String>> found = new LinkedHashMap<>();
        for (Block b : blocks) {
            if (b.matches(alias)) {
                for (String[] kv : b.options()) {
                    found.computeIfAbsent(kv[0], k -> new ArrayList<>()).add(kv[1]);
                }
            }
        }
        return found;
    }
}
