// Reads PgBouncer's ini format: sections, "key = value" lines, comments and %include.
package io.pgmux.config.pgbouncer;

import io.pgmux.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits a PgBouncer ini file into {@link IniEntry}s, in file order, following {@code %include FILE} where it stands
 * (a relative name is taken from the directory of the file that includes it). As in PgBouncer, a line starting with
 * {@code ;} or {@code #} is a comment, and those characters mean nothing later in a line: a password may contain
 * them. Problems are collected, not thrown one by one, so that a file with several mistakes is fixed in one pass.
 */
final class IniReader {

    /** PgBouncer's libusual stops at this depth too; deeper nesting is a loop. */
    private static final int MAX_INCLUDE_DEPTH = 10;

    private final List<IniEntry> entries = new ArrayList<>();
    private final List<String> errors;

    private IniReader(List<String> errors) {
        this.errors = errors;
    }

    /**
     * Reads {@code file} and what it includes.
     *
     * @param errors receives one message per problem ({@code "FILE line N: ..."})
     * @throws ConfigException when the top-level file cannot be read
     */
    static List<IniEntry> read(Path file, List<String> errors) {
        IniReader reader = new IniReader(errors);
        String text = readFile(file);
        reader.parse(file, text, null, 0);
        return reader.entries;
    }

    /** Reads ini text that is already in memory; {@code %include} is taken relative to {@code file}'s directory. */
    static List<IniEntry> read(Path file, String text, List<String> errors) {
        IniReader reader = new IniReader(errors);
        reader.parse(file, text, null, 0);
        return reader.entries;
    }

    private String parse(Path file, String text, String startSection, int depth) {
        String section = startSection;
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            String where = file.getFileName() + " line " + (i + 1);
            if (line.isEmpty() || line.startsWith(";") || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("%include")) {
                section = include(file, line.substring("%include".length()).strip(), section, depth, where);
            } else if (line.startsWith("[")) {
                if (!line.endsWith("]") || line.length() < 3) {
                    errors.add(where + ": expected a section name like [databases], got '" + line + "'");
                    continue;
                }
                section = line.substring(1, line.length() - 1).strip().toLowerCase(Locale.ROOT);
            } else {
                entry(section, line, where, file);
            }
        }
        return section;
    }

    private void entry(String section, String line, String where, Path file) {
        int equals = line.indexOf('=');
        if (equals <= 0) {
            errors.add(where + ": expected key = value, got '" + firstWord(line) + "'");
            return;
        }
        if (section == null) {
            errors.add(where + ": setting outside any section; put it under [pgbouncer], [databases] or [users]");
            return;
        }
        String key = line.substring(0, equals).strip();
        String value = line.substring(equals + 1).strip();
        entries.add(new IniEntry(section, unquoteKey(key), value, where, file));
    }

    /** Database names may be written in double quotes in [databases], as PgBouncer allows. */
    private static String unquoteKey(String key) {
        if (key.length() >= 2 && key.startsWith("\"") && key.endsWith("\"")) {
            return key.substring(1, key.length() - 1).replace("\"\"", "\"");
        }
        return key;
    }

    private String include(Path from, String name, String section, int depth, String where) {
        if (name.isEmpty()) {
            errors.add(where + ": %include needs a file name");
            return section;
        }
        if (depth >= MAX_INCLUDE_DEPTH) {
            errors.add(where + ": %include nested more than " + MAX_INCLUDE_DEPTH + " deep (a loop?)");
            return section;
        }
        Path dir = from.toAbsolutePath().getParent();
        Path target = dir == null ? Path.of(name) : dir.resolve(name);
        String text;
        try {
            text = readFile(target);
        } catch (ConfigException e) {
            errors.add(where + ": " + e.getMessage());
            return section;
        }
        // An included file continues the section it was included in, and a section it opens carries on after it.
        return parse(target, text, section, depth + 1);
    }

    /** The first word only: an unparsable line may hold a password. */
    private static String firstWord(String line) {
        int blank = line.indexOf(' ');
        return blank < 0 ? line : line.substring(0, blank) + " ...";
    }

    private static String readFile(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException("PgBouncer configuration file not found: " + file, e);
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
