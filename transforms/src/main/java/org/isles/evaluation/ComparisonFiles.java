package org.isles.evaluation;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.isles.io.AtomicFiles;
import org.isles.io.Json;
import org.isles.plot.LineCharts;

/** The files of {@code isles compare}: compare.json, compare.md and paired_METRIC.png per metric. */
public final class ComparisonFiles {
  public static final String JSON = "compare.json";
  public static final String MARKDOWN = "compare.md";

  private ComparisonFiles() {}

  public static String chartName(ComparedMetric metric) {
    return "paired_" + metric.key() + ".png";
  }

  public static void write(Path dir, RunComparison comparison) {
    List<String> names = comparison.runs().stream().map(EvaluationRun::name).toList();
    for (ComparedMetric metric : comparison.metrics()) {
      Map<String, double[]> perCase = new LinkedHashMap<>();
      for (String id : comparison.runs().get(0).caseIds()) {
        double[] values = comparison.runs().stream().mapToDouble(r -> r.values().get(metric).getOrDefault(id, Double.NaN)).toArray();
        if (java.util.Arrays.stream(values).allMatch(Double::isFinite)) {
          perCase.put(id, values);
        }
      }
      LineCharts.pairedCases(dir.resolve(chartName(metric)), metric.key() + " per case", metric.key() + (metric.higherIsBetter()
          ? " (higher is better)" : " (lower is better)") + unit(metric), names, perCase);
    }
    AtomicFiles.writeBytes(dir.resolve(MARKDOWN), comparison.toMarkdown().getBytes(StandardCharsets.UTF_8));
    Json.write(dir.resolve(JSON), comparison.toJson());
  }

  private static String unit(ComparedMetric metric) {
    return switch (metric) {
      case AVD_ML -> ", mL";
      case HD95 -> ", mm";
      case ALD -> ", lesions";
      default -> "";
    };
  }
}
