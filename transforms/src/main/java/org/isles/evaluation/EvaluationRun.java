package org.isles.evaluation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.isles.io.Json;
import org.isles.schemas.CaseEvaluation;

/**
 * An evaluation folder read back for comparison: its summary, its per-case records, and the
 * threshold at which its cases are compared.
 *
 * @param name how the run is called in tables and charts (the folder, or its parent for OUT/eval)
 * @param threshold the threshold the per-case values are taken at
 * @param values per metric, case id to value (NaN when undefined), the cases of the summary's empty-ground-truth rule
 */
public record EvaluationRun(Path dir, String name, Summary summary, double threshold, Map<ComparedMetric, Map<String, Double>> values) {
  /** The summary block that isles run writes when it chose its settings on validation predictions. */
  public static final String SELECTED_ON_VALIDATION = "selected_on_validation";
  private static final double SAME_THRESHOLD = 1e-9;

  /** {@code best} (the run's own best threshold by mean Dice), {@code validation}, or a number in the sweep. */
  public static EvaluationRun read(Path dir, String thresholdChoice) {
    Path summaryFile = dir.resolve(EvaluationFiles.SUMMARY);
    if (!Files.isRegularFile(summaryFile) || !Files.isRegularFile(dir.resolve(EvaluationFiles.CASES_AVRO))) {
      throw new IllegalArgumentException(dir + " is not an evaluation folder: it needs " + EvaluationFiles.SUMMARY + " and "
          + EvaluationFiles.CASES_AVRO + " (written by isles evaluate)");
    }
    Summary summary = Summary.read(dir);
    double threshold = threshold(summaryFile, summary, thresholdChoice);
    boolean excludeEmpty = summary.rules() != null && "excluded".equals(summary.rules().emptyGt());
    Map<ComparedMetric, Map<String, Double>> values = new LinkedHashMap<>();
    for (ComparedMetric metric : ComparedMetric.values()) {
      values.put(metric, new LinkedHashMap<>());
    }
    for (CaseEvaluation evaluation : EvaluationFiles.readCases(dir)) {
      if (excludeEmpty && evaluation.getGtVoxels() == 0) {
        continue;
      }
      int t = indexOf(evaluation, threshold, summaryFile);
      for (ComparedMetric metric : ComparedMetric.values()) {
        values.get(metric).put(evaluation.getCaseId(), metric.of(EvaluationRecords.metricsAt(evaluation, t)));
      }
    }
    return new EvaluationRun(dir, displayName(dir), summary, threshold, values);
  }

  public List<String> caseIds() {
    return List.copyOf(values.get(ComparedMetric.DICE).keySet());
  }

  private static double threshold(Path summaryFile, Summary summary, String choice) {
    switch (choice) {
      case "best":
        if (summary.bestThresholdByMeanDice() == null) {
          throw new IllegalArgumentException(summaryFile + " has no best_threshold_by_mean_dice (no mean was reported); use a number");
        }
        return summary.bestThresholdByMeanDice();
      case "validation":
        Summary.SelectedOnValidation selected = summary.selectedOnValidation();
        if (selected == null) {
          throw new IllegalArgumentException(summaryFile + " has no " + SELECTED_ON_VALIDATION + " threshold (isles run writes it"
              + " when it has out-of-fold validation predictions); use --threshold best or a number");
        }
        requireSamePostProcessing(summaryFile, summary, selected);
        return selected.threshold();
      default:
        try {
          return Double.parseDouble(choice);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("--threshold must be best, validation or a number, not '" + choice + "'");
        }
    }
  }

  /** cases.avro holds the sweep under the evaluation's own post-processing only. */
  private static void requireSamePostProcessing(Path summaryFile, Summary summary, Summary.SelectedOnValidation selected) {
    Summary.PostProcessing chosen = selected.postProcessing();
    Summary.PostProcessing used = summary.rules() == null ? null : summary.rules().postProcessing();
    if (chosen != null && (used == null || !chosen.options().equals(used.options()))) {
      throw new IllegalArgumentException(summaryFile + ": the post-processing selected on validation " + Json.toString(chosen)
          .replaceAll("\\s+", " ") + " is not the one its per-case metrics were computed with "
          + (used == null ? "(none recorded)" : Json.toString(used).replaceAll("\\s+", " ")) + "; evaluate with it, or use --threshold best");
    }
  }

  private static int indexOf(CaseEvaluation evaluation, double threshold, Path summaryFile) {
    for (int t = 0; t < evaluation.getThresholds().size(); t++) {
      if (Math.abs(evaluation.getThresholds().get(t).getThreshold() - threshold) < SAME_THRESHOLD) {
        return t;
      }
    }
    double[] sweep = evaluation.getThresholds().stream().mapToDouble(m -> m.getThreshold()).toArray();
    throw new IllegalArgumentException("threshold " + threshold + " is not in the sweep of " + summaryFile + " (case "
        + evaluation.getCaseId() + ": " + Arrays.toString(sweep) + ")");
  }

  /** OUT/eval is named after OUT, a run's folder; any other folder after itself. */
  public static String displayName(Path dir) {
    Path absolute = dir.toAbsolutePath().normalize();
    Path parent = absolute.getParent();
    boolean runEval = absolute.getFileName().toString().equals("eval") && parent != null && parent.getFileName() != null;
    return (runEval ? parent : absolute).getFileName().toString();
  }
}
