package org.isles.report;

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
 * cells so every row can be read by column.
 */
public record CsvTable(List<String> header, List<List<String>> rows) {

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
        cells.add(cell.toString());
        cell.setLength(0);
        lineHasContent = true;
      } else if (c == '\n' || c == '\r') {
        if (lineHasContent || cell.length() > 0) {
          cells.add(cell.toString());
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
      cells.add(cell.toString());
      lines.add(cells);
    }
    return lines;
  }
}
