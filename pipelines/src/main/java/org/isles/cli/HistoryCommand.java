package org.isles.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.isles.evaluation.ComparedMetric;
import org.isles.evaluation.EvaluationHistory;
import org.isles.evaluation.EvaluationRun;
import org.isles.evaluation.RunComparison;
import org.isles.io.CsvTable;
import org.isles.io.Json;
import org.isles.plot.LineCharts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Parameters;

@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    description = {
      "Draw the metrics of a history file (isles evaluate/run --history) over its rows: OUT/history_METRIC.png,",
      "with a ring on each row whose change against the previous row is significant (paired bootstrap 95%% CI",
      "excluding zero and Wilcoxon p < 0.05, as isles compare computes them from both evaluation folders),",
      "and OUT/history.json."
    })
final class HistoryCommand implements Callable<Integer> {
  /** History column to the per-case metric its change is tested on (ece has no per-case pairing here). */
  private static final Map<ComparedMetric, String> TESTED = new java.util.EnumMap<>(Map.of(
      ComparedMetric.DICE, "mean_dice", ComparedMetric.LESION_F1, "lesion_f1", ComparedMetric.AVD_ML, "avd_ml",
      ComparedMetric.ALD, "ald", ComparedMetric.HD95, "hd95"));

  @Parameters(index = "0", paramLabel = "FILE.csv", description = "History file.")
  Path file;

  @Option(names = "--out", required = true, description = "Output directory.")
  Path out;

  @Option(names = "--bootstrap", defaultValue = "10000", description = "Bootstrap resamples per change (default: ${DEFAULT-VALUE}).")
  int bootstrap;

  @Option(names = "--seed", defaultValue = "0", description = "Seed of the bootstrap (default: ${DEFAULT-VALUE}).")
  long seed;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    OptionChecks.of(spec).outputDirectory("--out", out).atLeast("--bootstrap", bootstrap, 1);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("history file " + file + " does not exist");
    }
    CsvTable table = CsvTable.read(file);
    if (!table.header().equals(EvaluationHistory.COLUMNS)) {
      throw new IllegalArgumentException("history file " + file + " has the columns " + table.header() + ", not " + EvaluationHistory.COLUMNS);
    }
    List<List<String>> rows = table.rows();
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("history file " + file + " has no rows");
    }
    int dirColumn = table.column("eval_dir");
    Map<String, double[]> series = new LinkedHashMap<>();
    Map<String, boolean[]> significant = new LinkedHashMap<>();
    for (String metric : EvaluationHistory.METRICS) {
      int column = table.column(metric);
      series.put(metric, rows.stream().mapToDouble(row -> row.get(column).isEmpty() ? Double.NaN : Double.parseDouble(row.get(column))).toArray());
      significant.put(metric, new boolean[rows.size()]);
    }
    List<Map<String, Object>> changes = new ArrayList<>();
    for (int r = 1; r < rows.size(); r++) {
      Path previous = Path.of(rows.get(r - 1).get(dirColumn));
      Path current = Path.of(rows.get(r).get(dirColumn));
      Map<String, Object> change = new LinkedHashMap<>();
      change.put("row", r + 1);
      change.put("previous", previous.toString());
      change.put("eval_dir", current.toString());
      try {
        RunComparison comparison = new RunComparison(
            List.of(EvaluationRun.read(previous, "best"), EvaluationRun.read(current, "best")), List.copyOf(TESTED.keySet()), bootstrap, seed);
        for (RunComparison.Paired p : comparison.pairs()) {
          String column = TESTED.get(p.metric());
          significant.get(column)[r] = p.significant();
          Map<String, Object> tested = new LinkedHashMap<>();
          tested.put("mean_difference", p.meanDifference());
          tested.put("ci95", List.of(p.interval().low(), p.interval().high()));
          tested.put("p_value", p.wilcoxon().pValue());
          tested.put("significant", p.significant());
          change.put(column, tested);
        }
      } catch (RuntimeException e) {
        change.put("not_tested", e.getMessage());
        System.err.println("row " + (r + 1) + ": change not tested: " + e.getMessage());
      }
      changes.add(change);
    }
    createDirectories(out);
    List<String> labels = new ArrayList<>();
    for (int r = 0; r < rows.size(); r++) {
      labels.add((r + 1) + " " + rows.get(r).get(table.column("run_name")));
    }
    for (String metric : EvaluationHistory.METRICS) {
      if (java.util.Arrays.stream(series.get(metric)).anyMatch(Double::isFinite)) {
        LineCharts.history(out.resolve("history_" + metric + ".png"), metric + " per evaluation (ring: significant change)", labels,
            Map.of(metric, series.get(metric)), Map.of(metric, significant.get(metric)));
      }
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("history", file.toAbsolutePath().toString());
    json.put("significance", "paired bootstrap 95% CI of the mean difference excludes zero and Wilcoxon p < " + RunComparison.ALPHA
        + ", on the cases both evaluations share, each at its best threshold");
    json.put("changes", changes);
    Json.write(out.resolve("history.json"), json);
    for (int r = 0; r < rows.size(); r++) {
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%3d %-24s", r + 1, rows.get(r).get(table.column("run_name"))));
      for (String metric : EvaluationHistory.METRICS) {
        line.append(String.format(Locale.ROOT, "  %s %.4f%s", metric, series.get(metric)[r], significant.get(metric)[r] ? "*" : ""));
      }
      System.out.println(line);
    }
    System.out.println("* significant change against the previous row. Written: " + out);
    return 0;
  }

  private static void createDirectories(Path dir) {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new IllegalArgumentException("--out " + dir + " is a file, not a directory");
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
    }
  }
}
