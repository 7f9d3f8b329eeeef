package io.crossgen.examples.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A Markdown table with a title and notes below it, filled row by row. */
final class Table {
    private final String title;
    private final List<String> columns;
    private final List<List<String>> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    Table(String title, String... columns) {
        this.title = title;
        this.columns = List.of(columns);
    }

    /** Appends a row of as many cells as there are columns. */
    Table row(Object... cells) {
        if (cells.length != columns.size()) {
            throw new IllegalArgumentException(cells.length + " cells for " + columns.size() + " columns");
        }
        rows.add(Arrays.stream(cells).map(c -> String.valueOf(c).replace("|", "\\|")).toList());
        return this;
    }

    /** Appends a note printed as a list item under the table. */
    Table note(String text) {
        notes.add(text);
        return this;
    }

    /** Prints the table with its columns padded to equal width. */
    void print(PrintStream out) {
        int[] width = new int[columns.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = Math.max(3, columns.get(i).length());
            for (List<String> r : rows) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        out.println("### " + title);
        out.println();
        out.println(line(columns, width));
        out.println(line(Arrays.stream(width).mapToObj("-"::repeat).toList(), width));
        rows.forEach(r -> out.println(line(r, width)));
        if (!notes.isEmpty()) {
            out.println();
            notes.forEach(n -> out.println("- " + n));
        }
        out.println();
        out.flush();
    }

    private static String line(List<String> cells, int[] width) {
        StringBuilder b = new StringBuilder("|");
        for (int i = 0; i < cells.size(); i++) {
            b.append(' ').append(cells.get(i)).append(" ".repeat(width[i] - cells.get(i).length())).append(" |");
        }
        return b.toString();
    }
}
