package org.isles.evaluation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.isles.io.CsvTable;
import org.isles.io.Json;
import org.isles.metrics.CaseMetrics;
import org.isles.plot.Chart;
import org.isles.schemas.CaseEvaluation;

/**
 * Reads an evaluation directory and explains it: every case sorted from worst to best Dice at the
 * best threshold with its {@link ErrorType}, the worst k, a report, and plots of the threshold
 * sweep and of Dice against lesion size. Every evaluated case is analyzed, whatever the summary's
 * empty-ground-truth rule, so false alarms on empty cases show up.
 */
public final class EvaluationAnalysis {
  public static final String CASES_SORTED = "cases_sorted.csv";
  public static final String WORST_CASES = "worst_cases.csv";
  public static final String REPORT = "analysis_report.json";
  public static final String SWEEP_PLOT = "threshold_sweep.png";
  public static final String SIZE_PLOT = "dice_by_lesion_size.png";
  /** Lesion-size bins of the size plot: a quarter of a decade of mL. */
  private static final double BINS_PER_DECADE = 4;

  private EvaluationAnalysis() {}

  private record CaseAtBest(CaseEvaluation record, CaseMetrics metrics, ErrorType error) {}

  /** Writes the analysis files into {@code evalDir} and returns the report. */
  public static Report analyze(Path evalDir, int topK) {
    if (topK < 1) {
      throw new IllegalArgumentException("--top-k must be >= 1, got " + topK);
    }
    Path summaryFile = evalDir.resolve(EvaluationFiles.SUMMARY);
    if (!Files.isRegularFile(summaryFile)) {
      throw new IllegalArgumentException(evalDir + " has no " + EvaluationFiles.SUMMARY + ": run isles evaluate into it first");
    }
    Summary summary = Summary.read(evalDir);
    if (summary.meanRefused() != null) {
      throw new IllegalArgumentException(summaryFile + " reports no mean (" + summary.meanRefused() + "): nothing to analyze");
    }
    EvaluationRules rules = EvaluationRules.fromJson(summary.rules());
    double bestThreshold = summary.bestThresholdByMeanDice();
    int best = indexOf(rules.thresholds(), bestThreshold);
    List<CaseAtBest> cases = new ArrayList<>();
    for (CaseEvaluation record : EvaluationFiles.readCases(evalDir)) {
      CaseMetrics metrics = EvaluationRecords.metricsAt(record, best);
      cases.add(new CaseAtBest(record, metrics, ErrorType.of(metrics)));
    }
    cases.sort(Comparator.comparingDouble((CaseAtBest c) -> c.metrics.dice()).thenComparing(c -> c.record.getCaseId()));
    List<CaseAtBest> worst = cases.subList(0, Math.min(topK, cases.size()));

    List<String> header = new ArrayList<>(CaseTable.COLUMNS);
    header.add("error_type");
    CsvTable.write(evalDir.resolve(CASES_SORTED), header, cases.stream().map(c -> rowWithError(c, best, rules)).toList());
    CsvTable.write(evalDir.resolve(WORST_CASES), header, worst.stream().map(c -> rowWithError(c, best, rules)).toList());
    plotSweep(summary.perThreshold(), evalDir.resolve(SWEEP_PLOT));
    plotDiceBySize(cases, evalDir.resolve(SIZE_PLOT));

    Report report = new Report(evalDir.toAbsolutePath().toString(), bestThreshold, summary.meanDice(), cases.size(),
        errorCounts(cases), ErrorType.RULE, worst.stream().map(EvaluationAnalysis::worstCase).toList(), summary.byLesionSize(),
        summary.bySliceSpacing(), List.of(CASES_SORTED, WORST_CASES, SWEEP_PLOT, SIZE_PLOT));
    Json.write(evalDir.resolve(REPORT), report);
    return report;
  }

  /**
   * analysis_report.json.
   *
   * @param errorTypes each error type's label to its number of cases
   */
  public record Report(String evalDir, double bestThreshold, Double meanDice, int nCases, Map<String, Integer> errorTypes,
      String errorTypeRule, List<WorstCase> worstCases, Summary.LesionSizeBreakdown byLesionSize,
      Summary.SliceSpacingBreakdown bySliceSpacing, List<String> files) {}

  /** One of the worst cases by Dice, at the best threshold. */
  public record WorstCase(String caseId, double dice, String errorType, double gtVolumeMl, double predVolumeMl, long missedLesions,
      long falsePositiveComponents) {}

  private static List<Object> rowWithError(CaseAtBest c, int best, EvaluationRules rules) {
    List<Object> row = new ArrayList<>(CaseTable.row(c.record, best, rules));
    row.add(c.error.label());
    return row;
  }

  private static WorstCase worstCase(CaseAtBest c) {
    return new WorstCase(c.record.getCaseId(), c.metrics.dice(), c.error.label(), c.metrics.groundTruthVolumeMl(),
        c.metrics.predictedVolumeMl(), c.metrics.lesions().falseNegatives(), c.metrics.falsePositiveComponents());
  }

  private static Map<String, Integer> errorCounts(List<CaseAtBest> cases) {
    Map<ErrorType, Integer> counts = new EnumMap<>(ErrorType.class);
    for (ErrorType type : ErrorType.values()) {
      counts.put(type, 0);
    }
    cases.forEach(c -> counts.merge(c.error, 1, Integer::sum));
    Map<String, Integer> json = new LinkedHashMap<>();
    counts.forEach((type, n) -> json.put(type.label(), n));
    return json;
  }

  private static void plotSweep(List<Summary.AtThreshold> perThreshold, Path file) {
    int n = perThreshold.size();
    double[] thresholds = new double[n];
    double[] dice = new double[n];
    double[] precision = new double[n];
    double[] recall = new double[n];
    for (int t = 0; t < n; t++) {
      Summary.AtThreshold entry = perThreshold.get(t);
      thresholds[t] = entry.threshold();
      dice[t] = orNaN(entry.meanDice());
      precision[t] = orNaN(entry.voxelPrecision());
      recall[t] = orNaN(entry.voxelRecall());
    }
    new Chart("Threshold sweep", "threshold", "score")
        .line("mean Dice", thresholds, dice)
        .line("voxel precision", thresholds, precision)
        .line("voxel recall", thresholds, recall)
        .writePng(file);
  }

  /** Mean Dice per quarter-decade of ground-truth volume; empty ground truths have no size and are left out. */
  private static void plotDiceBySize(List<CaseAtBest> cases, Path file) {
    TreeMap<Long, double[]> sumAndCount = new TreeMap<>();
    for (CaseAtBest c : cases) {
      if (c.metrics.hasLesion()) {
        long bin = (long) Math.floor(Math.log10(c.metrics.groundTruthVolumeMl()) * BINS_PER_DECADE);
        double[] acc = sumAndCount.computeIfAbsent(bin, b -> new double[2]);
        acc[0] += c.metrics.dice();
        acc[1]++;
      }
    }
    double[] x = new double[sumAndCount.size()];
    double[] y = new double[sumAndCount.size()];
    int n = 0;
    for (Map.Entry<Long, double[]> bin : sumAndCount.entrySet()) {
      x[n] = (bin.getKey() + 0.5) / BINS_PER_DECADE;
      y[n++] = bin.getValue()[0] / bin.getValue()[1];
    }
    new Chart("Dice by lesion size", "log10 ground-truth volume (mL)", "mean Dice").line("mean Dice", x, y).writePng(file);
  }

  private static double orNaN(Double value) {
    return value == null ? Double.NaN : value;
  }

  private static int indexOf(double[] thresholds, double threshold) {
    for (int t = 0; t < thresholds.length; t++) {
      if (thresholds[t] == threshold) {
        return t;
      }
    }
    throw new IllegalArgumentException("best threshold " + threshold + " is not in the summary's sweep");
  }
}
