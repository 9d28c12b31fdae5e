package net.ledgerchat.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Every figure the benchmark measures, printed as it is measured and again at the end as one
 * aligned table and as Markdown that can be pasted into BENCHMARKS.md.
 */
final class Report {
    /** One measured figure; {@code target} and {@code verdict} are empty when the figure has no target. */
    record Row(String section, String figure, String value, String unit, String target, String verdict) {
    }

    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final PrintStream out;

    Report(PrintStream out) {
        this.out = out;
    }

    void add(String section, String figure, String value, String unit) {
        add(new Row(section, figure, value, unit, "", ""));
    }

    /** A figure with a target; a miss is recorded and printed, it never fails the run. */
    void addTarget(String section, String figure, String value, String unit, String target, boolean pass) {
        add(new Row(section, figure, value, unit, target, pass ? "PASS" : "MISS"));
    }

    private void add(Row row) {
        rows.add(row);
        StringBuilder line = new StringBuilder("  ").append(row.figure()).append(": ").append(row.value());
        if (!row.unit().isEmpty()) {
            line.append(' ').append(row.unit());
        }
        if (!row.target().isEmpty()) {
            line.append("   [target ").append(row.target()).append(" -> ").append(row.verdict()).append(']');
        }
        out.println(line);
    }

    /** A sentence for the end of the report (what went wrong, what the machine was doing). */
    void note(String text) {
        notes.add(text);
        out.println("  NOTE: " + text);
    }

    List<Row> rows() {
        return List.copyOf(rows);
    }

    List<String> notes() {
        return List.copyOf(notes);
    }

    void printTable() {
        String[] head = {"Section", "Figure", "Value", "Unit", "Target", "Result"};
        int[] width = new int[head.length];
        for (int i = 0; i < head.length; i++) {
            width[i] = head[i].length();
        }
        for (Row r : rows) {
            String[] cells = cells(r);
            for (int i = 0; i < cells.length; i++) {
                width[i] = Math.max(width[i], cells[i].length());
            }
        }
        StringBuilder rule = new StringBuilder();
        for (int w : width) {
            rule.append('+').append("-".repeat(w + 2));
        }
        rule.append('+');
        out.println(rule);
        out.println(line(head, width));
        out.println(rule);
        String section = null;
        for (Row r : rows) {
            if (section != null && !section.equals(r.section())) {
                out.println(rule);
            }
            section = r.section();
            out.println(line(cells(r), width));
        }
        out.println(rule);
    }

    void printMarkdown() {
        out.println("| Section | Figure | Value | Target | Result |");
        out.println("|---|---|---:|---|---|");
        for (Row r : rows) {
            String value = r.unit().isEmpty() ? r.value() : r.value() + " " + r.unit();
            out.println("| " + md(r.section()) + " | " + md(r.figure()) + " | " + md(value) + " | "
                    + md(r.target()) + " | " + (r.verdict().isEmpty() ? "" : "**" + r.verdict() + "**") + " |");
        }
        if (!notes.isEmpty()) {
            out.println();
            for (String n : notes) {
                out.println("- " + n);
            }
        }
    }

    private static String[] cells(Row r) {
        return new String[] {r.section(), r.figure(), r.value(), r.unit(), r.target(), r.verdict()};
    }

    private static String line(String[] cells, int[] width) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            boolean right = i == 2;
            String c = cells[i];
            String pad = " ".repeat(width[i] - c.length());
            b.append("| ").append(right ? pad + c : c + pad).append(' ');
        }
        return b.append('|').toString();
    }

    private static String md(String s) {
        return s.replace("|", "\\|");
    }

    /** Grouped with commas, fixed decimals, locale-independent. */
    static String num(double value, int decimals) {
        return String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }

    static String num(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    static String mib(long bytes) {
        return num(bytes / (1024.0 * 1024.0), 1);
    }
}
