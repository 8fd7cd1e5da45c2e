package org.isles.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.isles.io.AtomicFiles;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * PNG line charts drawn with JFreeChart (headless): one line per case across runs, and metrics
 * over a sequence of evaluations with the significant changes marked.
 */
public final class LineCharts {
  private static final int WIDTH = 900;
  private static final int HEIGHT = 560;
  private static final Color CASE_LINE = new Color(0x1f, 0x77, 0xb4, 110);
  private static final Color[] PALETTE = {
    new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e), new Color(0x9467bd)
  };

  private LineCharts() {}

  static {
    System.setProperty("java.awt.headless", "true");
  }

  /**
   * Paired per-case values: the runs along x (A first), one line per case.
   *
   * @param values case id to its value in each run, in the order of {@code runs}
   */
  public static void pairedCases(Path file, String title, String yLabel, List<String> runs, Map<String, double[]> values) {
    XYSeriesCollection data = new XYSeriesCollection();
    values.forEach(
        (caseId, perRun) -> {
          XYSeries series = new XYSeries(caseId, false, true);
          for (int r = 0; r < perRun.length; r++) {
            series.add(r, perRun[r]);
          }
          data.addSeries(series);
        });
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    for (int s = 0; s < data.getSeriesCount(); s++) {
      renderer.setSeriesPaint(s, CASE_LINE);
      renderer.setSeriesStroke(s, new BasicStroke(1.2f));
    }
    XYPlot plot = new XYPlot(data, symbolAxis("evaluation", runs), valueAxis(yLabel), renderer);
    JFreeChart chart = new JFreeChart(title + " (" + values.size() + " cases, one line each)", JFreeChart.DEFAULT_TITLE_FONT, plot, false);
    write(file, chart);
  }

  /**
   * Metrics over successive evaluations (x = row number), with a ring around the points whose
   * change against the previous row is significant.
   *
   * @param series metric name to its value per row
   * @param significant metric name to, per row, whether its change against the previous row is significant
   */
  public static void history(Path file, String title, List<String> rowLabels, Map<String, double[]> series, Map<String, boolean[]> significant) {
    XYSeriesCollection data = new XYSeriesCollection();
    XYSeriesCollection marks = new XYSeriesCollection();
    series.forEach(
        (name, values) -> {
          XYSeries line = new XYSeries(name, false, true);
          XYSeries ring = new XYSeries(name + ": significant change", false, true);
          for (int r = 0; r < values.length; r++) {
            if (Double.isFinite(values[r])) {
              line.add(r, values[r]);
              if (significant.get(name)[r]) {
                ring.add(r, values[r]);
              }
            }
          }
          data.addSeries(line);
          marks.addSeries(ring);
        });
    XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, true);
    XYLineAndShapeRenderer rings = new XYLineAndShapeRenderer(false, true);
    for (int s = 0; s < data.getSeriesCount(); s++) {
      Color color = PALETTE[s % PALETTE.length];
      lines.setSeriesPaint(s, color);
      lines.setSeriesStroke(s, new BasicStroke(2f));
      rings.setSeriesPaint(s, color);
      rings.setSeriesShape(s, new java.awt.geom.Ellipse2D.Double(-8, -8, 16, 16));
      rings.setSeriesShapesFilled(s, false);
      rings.setSeriesStroke(s, new BasicStroke(2f));
    }
    String yLabel = series.size() == 1 ? series.keySet().iterator().next() : "value";
    XYPlot plot = new XYPlot(data, symbolAxis("evaluation (history row)", rowLabels), valueAxis(yLabel), lines);
    plot.setDataset(1, marks);
    plot.setRenderer(1, rings);
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    LegendTitle legend = chart.getLegend();
    legend.setPosition(RectangleEdge.RIGHT);
    write(file, chart);
  }

  /** A reliability diagram: observed lesion fraction against mean predicted probability per bin, with the diagonal. */
  public static void reliability(Path file, String title, List<double[]> points) {
    XYSeries observed = new XYSeries("lesion fraction per bin", false, true);
    points.forEach(p -> observed.add(p[0], p[1]));
    XYSeries diagonal = new XYSeries("perfect calibration", false, true);
    diagonal.add(0, 0);
    diagonal.add(1, 1);
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(observed);
    data.addSeries(diagonal);
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    renderer.setSeriesPaint(0, PALETTE[0]);
    renderer.setSeriesStroke(0, new BasicStroke(2f));
    renderer.setSeriesPaint(1, Color.GRAY);
    renderer.setSeriesShapesVisible(1, false);
    renderer.setSeriesStroke(1, new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
    NumberAxis x = new NumberAxis("mean predicted probability in bin");
    x.setRange(0, 1);
    NumberAxis y = new NumberAxis("fraction of lesion voxels in bin");
    y.setRange(0, 1);
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, new XYPlot(data, x, y, renderer), true);
    chart.getLegend().setPosition(RectangleEdge.BOTTOM);
    write(file, chart);
  }

  private static SymbolAxis symbolAxis(String label, List<String> symbols) {
    SymbolAxis axis = new SymbolAxis(label, symbols.toArray(String[]::new));
    axis.setGridBandsVisible(false);
    return axis;
  }

  private static NumberAxis valueAxis(String label) {
    NumberAxis axis = new NumberAxis(label);
    axis.setAutoRangeIncludesZero(false);
    return axis;
  }

  private static void write(Path file, JFreeChart chart) {
    chart.setBackgroundPaint(Color.WHITE);
    chart.getXYPlot().setBackgroundPaint(Color.WHITE);
    chart.getXYPlot().setDomainGridlinePaint(Color.LIGHT_GRAY);
    chart.getXYPlot().setRangeGridlinePaint(Color.LIGHT_GRAY);
    chart.getXYPlot().getDomainAxis().setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    AtomicFiles.write(file, out -> ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT));
  }
}
