package org.isles.report;

import java.util.Base64;
import java.util.List;

/** A single self-contained HTML page built section by section: text, tables, inline PNGs. */
final class HtmlPage {
  private static final String STYLE = String.join("\n",
      "body { font-family: 'DejaVu Sans', Arial, sans-serif; margin: 24px; color: #222; }",
      "h1 { font-size: 24px; } h2 { font-size: 19px; margin-top: 32px; border-bottom: 1px solid #ccc; }",
      "table { border-collapse: collapse; font-size: 13px; margin: 8px 0; }",
      "th, td { border: 1px solid #bbb; padding: 3px 8px; text-align: left; }",
      "td:first-child { white-space: nowrap; }",
      "th { background: #eee; } td.number { text-align: right; font-variant-numeric: tabular-nums; }",
      "tr.highlight td { background: #fff6d5; font-weight: bold; }",
      ".scroll { overflow-x: auto; max-width: 100%; }",
      ".note { color: #8a4b00; background: #fff3e0; border-left: 4px solid #e69500; padding: 4px 8px; }",
      "figure { margin: 12px 0; } img { max-width: 100%; } figcaption { font-size: 13px; color: #555; }",
      ".gallery { display: flex; flex-wrap: wrap; gap: 0 16px; } .gallery figure { flex: 1 1 480px; max-width: 640px; }");

  private final String title;
  private final StringBuilder body = new StringBuilder();

  HtmlPage(String title) {
    this.title = title;
  }

  void section(String heading) {
    body.append("<h2>").append(escape(heading)).append("</h2>\n");
  }

  void paragraph(String text) {
    body.append("<p>").append(escape(text)).append("</p>\n");
  }

  /** A paragraph of {@code text} followed by a link to {@code href} (relative to the page). */
  void link(String text, String label, String href) {
    body.append("<p>").append(escape(text)).append(" <a href=\"").append(escape(href)).append("\">").append(escape(label))
        .append("</a></p>\n");
  }

  void note(String text) {
    body.append("<p class=\"note\">").append(escape(text)).append("</p>\n");
  }

  /** A table; the row at {@code highlightedRow} (or none for -1) stands out. */
  void table(List<String> header, List<List<String>> rows, int highlightedRow) {
    body.append("<div class=\"scroll\"><table>\n<tr>");
    header.forEach(cell -> body.append("<th>").append(escape(cell)).append("</th>"));
    body.append("</tr>\n");
    for (int r = 0; r < rows.size(); r++) {
      body.append(r == highlightedRow ? "<tr class=\"highlight\">" : "<tr>");
      rows.get(r).forEach(cell -> body.append(isNumber(cell) ? "<td class=\"number\">" : "<td>").append(escape(cell)).append("</td>"));
      body.append("</tr>\n");
    }
    body.append("</table></div>\n");
  }

  /** The images added until {@link #endGallery} are laid out side by side where the page is wide enough. */
  void beginGallery() {
    body.append("<div class=\"gallery\">\n");
  }

  void endGallery() {
    body.append("</div>\n");
  }

  void image(byte[] png, String caption) {
    body.append("<figure><img alt=\"").append(escape(caption)).append("\" src=\"data:image/png;base64,")
        .append(Base64.getEncoder().encodeToString(png)).append("\"><figcaption>").append(escape(caption))
        .append("</figcaption></figure>\n");
  }

  String render() {
    return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + escape(title)
        + "</title>\n<style>\n" + STYLE + "\n</style>\n</head>\n<body>\n<h1>" + escape(title) + "</h1>\n" + body
        + "</body>\n</html>\n";
  }

  /** Numbers (and n/a for an undefined one) line up on the right. */
  private static boolean isNumber(String cell) {
    return cell.equals("n/a") || cell.matches("-?[0-9]+(\\.[0-9]+)?");
  }

  static String escape(String text) {
    StringBuilder escaped = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '&' -> escaped.append("&amp;");
        case '<' -> escaped.append("&lt;");
        case '>' -> escaped.append("&gt;");
        case '"' -> escaped.append("&quot;");
        default -> escaped.append(c);
      }
    }
    return escaped.toString();
  }
}
