package org.isles.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A CSV file as text cells: a header and rows, with RFC 4180 quoting (quoted cells may hold
 * commas, doubled quotes and line breaks). Rows shorter than the header are padded with empty
 * cells so every row can be read by column. The one writer and reader of the product's CSV files.
 *
 * <p>Against formula injection (a spreadsheet runs a cell that starts with {@code = + - @}, a tab
 * or a carriage return as a formula), a text cell starting with one of those, or with the
 * escape character {@code '} itself, is written with a leading {@code '}; numbers are written as
 * they are (a negative number is no formula). {@link #read} removes that one leading {@code '}.
 */
public record CsvTable(List<String> header, List<List<String>> rows) {
  private static final char ESCAPE = '\'';
  private static final String FORMULA_STARTS = "=+-@\t\r" + ESCAPE;

  /** Writes a header and rows atomically; a {@link Number} cell is written as is, NaN as an empty cell. */
  public static void write(Path file, List<String> header, List<? extends List<?>> rows) {
    StringBuilder csv = new StringBuilder();
    appendLine(csv, header);
    rows.forEach(row -> appendLine(csv, row));
    AtomicFiles.writeBytes(file, csv.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static void appendLine(StringBuilder csv, List<?> cells) {
    for (int c = 0; c < cells.size(); c++) {
      if (c > 0) {
        csv.append(',');
      }
      csv.append(cell(cells.get(c)));
    }
    csv.append('\n');
  }

  static String cell(Object value) {
    if (value instanceof Number number) {
      return Double.isNaN(number.doubleValue()) ? "" : String.valueOf(number);
    }
    String text = String.valueOf(value);
    if (!text.isEmpty() && FORMULA_STARTS.indexOf(text.charAt(0)) >= 0) {
      text = ESCAPE + text;
    }
    boolean quote = text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r");
    return quote ? '"' + text.replace("\"", "\"\"") + '"' : text;
  }

  public static CsvTable read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read CSV " + file + ": " + e.getMessage(), e);
    }
    List<List<String>> lines = parse(text, file);
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("CSV " + file + " is empty: no header line");
    }
    List<String> header = lines.get(0);
    List<List<String>> rows = new ArrayList<>();
    for (List<String> line : lines.subList(1, lines.size())) {
      List<String> row = new ArrayList<>(line);
      while (row.size() < header.size()) {
        row.add("");
      }
      rows.add(row);
    }
    return new CsvTable(header, rows);
  }

  /** The position of {@code name} in the header, or -1. */
  public int column(String name) {
    return header.indexOf(name);
  }

  private static List<List<String>> parse(String text, Path file) {
    List<List<String>> lines = new ArrayList<>();
    List<String> cells = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    boolean lineHasContent = false;
    for (int n = 0; n < text.length(); n++) {
      char c = text.charAt(n);
      if (quoted) {
        if (c == '"' && n + 1 < text.length() && text.charAt(n + 1) == '"') {
          cell.append('"');
          n++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cell.append(c);
        }
      } else if (c == '"') {
        quoted = true;
        lineHasContent = true;
      } else if (c == ',') {
        cells.add(unescaped(cell));
        cell.setLength(0);
        lineHasContent = true;
      } else if (c == '\n' || c == '\r') {
        if (lineHasContent || cell.length() > 0) {
          cells.add(unescaped(cell));
          lines.add(cells);
        }
        cells = new ArrayList<>();
        cell.setLength(0);
        lineHasContent = false;
      } else {
        cell.append(c);
        lineHasContent = true;
      }
    }
    if (quoted) {
      throw new IllegalArgumentException("CSV " + file + " ends inside a quoted cell");
    }
    if (lineHasContent || cell.length() > 0) {
      cells.add(unescaped(cell));
      lines.add(cells);
    }
    return lines;
  }

  private static String unescaped(StringBuilder cell) {
    return cell.length() > 0 && cell.charAt(0) == ESCAPE ? cell.substring(1) : cell.toString();
  }
}
