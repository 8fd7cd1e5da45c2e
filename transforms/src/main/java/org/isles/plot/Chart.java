package org.isles.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.isles.io.AtomicFiles;

/**
 * A small PNG chart: line series and histogram bars on linear axes, with title, axis labels and a
 * legend. Enough for training curves, threshold sweeps and dataset histograms without a plotting
 * dependency.
 */
public final class Chart {
  private static final Color[] PALETTE = {
    new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
    new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)
  };
  private static final int WIDTH = 800;
  private static final int HEIGHT = 500;
  private static final int LEFT = 80;
  private static final int RIGHT = 30;
  private static final int TOP = 50;
  private static final int BOTTOM = 60;

  private record Series(String name, double[] x, double[] y) {}

  private record Bars(double[] edges, double[] counts) {}

  private final String title;
  private final String xLabel;
  private final String yLabel;
  private final List<Series> series = new ArrayList<>();
  private Bars bars;

  public Chart(String title, String xLabel, String yLabel) {
    this.title = title;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
  }

  public Chart line(String name, double[] x, double[] y) {
    if (x.length != y.length) {
      throw new IllegalArgumentException("series " + name + ": " + x.length + " x values but " + y.length + " y values");
    }
    series.add(new Series(name, x.clone(), y.clone()));
    return this;
  }

  /** A histogram of {@code values} in {@code binCount} equal bins over their range. */
  public Chart histogram(double[] values, int binCount) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    if (values.length == 0) {
      lo = 0;
      hi = 1;
    }
    if (hi - lo < 1e-12) {
      lo -= 0.5;
      hi += 0.5;
    }
    double[] edges = new double[binCount + 1];
    for (int b = 0; b <= binCount; b++) {
      edges[b] = lo + (hi - lo) * b / binCount;
    }
    double[] counts = new double[binCount];
    for (double v : values) {
      counts[Math.min(binCount - 1, (int) ((v - lo) / (hi - lo) * binCount))]++;
    }
    bars = new Bars(edges, counts);
    return this;
  }

  public void writePng(Path file) {
    BufferedImage image = render();
    AtomicFiles.write(file, out -> ImageIO.write(image, "png", out));
  }

  BufferedImage render() {
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, WIDTH, HEIGHT);
    double[] range = dataRange();
    Axes axes = new Axes(range[0], range[1], range[2], range[3]);
    drawAxes(g, axes);
    if (bars != null) {
      g.setColor(new Color(0x1f77b4));
      for (int b = 0; b < bars.counts.length; b++) {
        int x0 = axes.px(bars.edges[b]);
        int x1 = axes.px(bars.edges[b + 1]);
        int y0 = axes.py(bars.counts[b]);
        g.fillRect(x0 + 1, y0, Math.max(1, x1 - x0 - 2), axes.py(0) - y0);
      }
    }
    for (int s = 0; s < series.size(); s++) {
      Series line = series.get(s);
      g.setColor(PALETTE[s % PALETTE.length]);
      g.setStroke(new BasicStroke(2f));
      Path2D path = new Path2D.Double();
      boolean started = false;
      for (int n = 0; n < line.x.length; n++) {
        if (!Double.isFinite(line.y[n])) {
          started = false;
          continue;
        }
        if (started) {
          path.lineTo(axes.px(line.x[n]), axes.py(line.y[n]));
        } else {
          path.moveTo(axes.px(line.x[n]), axes.py(line.y[n]));
          started = true;
        }
        if (line.x.length <= 60) {
          g.fillOval(axes.px(line.x[n]) - 3, axes.py(line.y[n]) - 3, 6, 6);
        }
      }
      g.draw(path);
    }
    drawLegend(g);
    g.dispose();
    return image;
  }

  private double[] dataRange() {
    double xMin = Double.POSITIVE_INFINITY;
    double xMax = Double.NEGATIVE_INFINITY;
    double yMin = Double.POSITIVE_INFINITY;
    double yMax = Double.NEGATIVE_INFINITY;
    for (Series line : series) {
      for (int n = 0; n < line.x.length; n++) {
        if (Double.isFinite(line.x[n]) && Double.isFinite(line.y[n])) {
          xMin = Math.min(xMin, line.x[n]);
          xMax = Math.max(xMax, line.x[n]);
          yMin = Math.min(yMin, line.y[n]);
          yMax = Math.max(yMax, line.y[n]);
        }
      }
    }
    if (bars != null) {
      xMin = Math.min(xMin, bars.edges[0]);
      xMax = Math.max(xMax, bars.edges[bars.edges.length - 1]);
      yMin = Math.min(yMin, 0);
      for (double c : bars.counts) {
        yMax = Math.max(yMax, c);
      }
    }
    if (!Double.isFinite(xMin)) {
      return new double[] {0, 1, 0, 1};
    }
    if (xMax - xMin < 1e-12) {
      xMin -= 0.5;
      xMax += 0.5;
    }
    if (yMax - yMin < 1e-12) {
      yMin -= 0.5;
      yMax += 0.5;
    }
    double pad = 0.05 * (yMax - yMin);
    return new double[] {xMin, xMax, bars != null && yMin >= 0 ? 0 : yMin - pad, yMax + pad};
  }

  private void drawAxes(Graphics2D g, Axes axes) {
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    FontMetrics titleMetrics = g.getFontMetrics();
    g.drawString(title, (WIDTH - titleMetrics.stringWidth(title)) / 2, 30);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    FontMetrics metrics = g.getFontMetrics();
    g.drawRect(LEFT, TOP, WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM);
    for (int t = 0; t <= 5; t++) {
      double x = axes.xMin + (axes.xMax - axes.xMin) * t / 5;
      double y = axes.yMin + (axes.yMax - axes.yMin) * t / 5;
      String xs = tick(x);
      String ys = tick(y);
      g.setColor(new Color(0xe0e0e0));
      g.drawLine(axes.px(x), TOP + 1, axes.px(x), HEIGHT - BOTTOM - 1);
      g.drawLine(LEFT + 1, axes.py(y), WIDTH - RIGHT - 1, axes.py(y));
      g.setColor(Color.BLACK);
      g.drawString(xs, axes.px(x) - metrics.stringWidth(xs) / 2, HEIGHT - BOTTOM + 18);
      g.drawString(ys, LEFT - 8 - metrics.stringWidth(ys), axes.py(y) + 4);
    }
    g.drawString(xLabel, (WIDTH - metrics.stringWidth(xLabel)) / 2, HEIGHT - 15);
    AffineTransform saved = g.getTransform();
    g.rotate(-Math.PI / 2);
    g.drawString(yLabel, -(HEIGHT + metrics.stringWidth(yLabel)) / 2, 20);
    g.setTransform(saved);
  }

  private void drawLegend(Graphics2D g) {
    if (series.size() < 2) {
      return;
    }
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    int y = TOP + 18;
    for (int s = 0; s < series.size(); s++) {
      g.setColor(PALETTE[s % PALETTE.length]);
      g.fillRect(WIDTH - RIGHT - 150, y - 9, 14, 10);
      g.setColor(Color.BLACK);
      g.drawString(series.get(s).name, WIDTH - RIGHT - 130, y);
      y += 18;
    }
  }

  private static String tick(double value) {
    double magnitude = Math.abs(value);
    if (magnitude != 0 && (magnitude >= 1e5 || magnitude < 1e-3)) {
      return String.format("%.2g", value);
    }
    return magnitude >= 100 ? String.format("%.0f", value) : String.format("%.3g", value);
  }

  private record Axes(double xMin, double xMax, double yMin, double yMax) {
    int px(double x) {
      return LEFT + (int) Math.round((x - xMin) / (xMax - xMin) * (WIDTH - LEFT - RIGHT));
    }

    int py(double y) {
      return HEIGHT - BOTTOM - (int) Math.round((y - yMin) / (yMax - yMin) * (HEIGHT - TOP - BOTTOM));
    }
  }
}
