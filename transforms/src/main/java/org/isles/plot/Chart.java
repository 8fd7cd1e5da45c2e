package org.isles.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.isles.io.AtomicFiles;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * A PNG chart of line series or a histogram, drawn by JFreeChart (headless): ticks at round
 * numbers, the legend below the plot instead of over the data, the axis labels as given (with
 * their units). Used for training curves, threshold sweeps and dataset histograms.
 */
public final class Chart {
  private static final Color[] PALETTE = {
    new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
    new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)
  };
  private static final int WIDTH = 800;
  private static final int HEIGHT = 500;
  /** Above this many points a series is drawn without point markers. */
  private static final int MARKED_POINTS = 60;

  static {
    System.setProperty("java.awt.headless", "true");
  }

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
    JFreeChart chart = chart();
    AtomicFiles.write(file, out -> ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT));
  }

  private JFreeChart chart() {
    NumberAxis x = new NumberAxis(xLabel);
    x.setAutoRangeIncludesZero(false);
    NumberAxis y = new NumberAxis(yLabel);
    y.setAutoRangeIncludesZero(bars != null);
    if (bars != null) {
      y.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    }
    XYPlot plot = new XYPlot();
    plot.setDomainAxis(x);
    plot.setRangeAxis(y);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    int index = 0;
    if (!series.isEmpty()) {
      XYSeriesCollection lines = new XYSeriesCollection();
      XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
      for (int s = 0; s < series.size(); s++) {
        Series line = series.get(s);
        XYSeries data = new XYSeries(line.name, false, true);
        for (int n = 0; n < line.x.length; n++) {
          // A gap where the value is undefined (NaN breaks the line in JFreeChart).
          data.add(line.x[n], Double.isFinite(line.y[n]) ? line.y[n] : Double.NaN);
        }
        lines.addSeries(data);
        renderer.setSeriesPaint(s, PALETTE[s % PALETTE.length]);
        renderer.setSeriesStroke(s, new BasicStroke(2f));
        renderer.setSeriesShapesVisible(s, line.x.length <= MARKED_POINTS);
      }
      plot.setDataset(index, lines);
      plot.setRenderer(index, renderer);
      index++;
    }
    if (bars != null) {
      XYIntervalSeries data = new XYIntervalSeries("count");
      for (int b = 0; b < bars.counts.length; b++) {
        double middle = (bars.edges[b] + bars.edges[b + 1]) / 2;
        data.add(middle, bars.edges[b], bars.edges[b + 1], bars.counts[b], 0, bars.counts[b]);
      }
      XYIntervalSeriesCollection histogram = new XYIntervalSeriesCollection();
      histogram.addSeries(data);
      XYBarRenderer renderer = new XYBarRenderer(0.04);
      renderer.setBarPainter(new StandardXYBarPainter());
      renderer.setShadowVisible(false);
      renderer.setDrawBarOutline(false);
      renderer.setSeriesPaint(0, PALETTE[0]);
      plot.setDataset(index, histogram);
      plot.setRenderer(index, renderer);
    }
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, !series.isEmpty());
    chart.setBackgroundPaint(Color.WHITE);
    LegendTitle legend = chart.getLegend();
    if (legend != null) {
      legend.setPosition(RectangleEdge.BOTTOM);
    }
    return chart;
  }
}
