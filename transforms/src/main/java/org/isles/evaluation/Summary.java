package org.isles.evaluation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.isles.io.Json;
import org.isles.metrics.CalibrationBins;
import org.isles.metrics.SummaryStatistic;
import org.isles.postprocess.ComponentScore;
import org.isles.postprocess.PostProcessingOptions;

/**
 * summary.json of an evaluation, the official result of a run, as a record tree: {@link
 * EvaluationSummary} computes it, {@link #write} and {@link #read} are the one place it is written
 * and read, and the report, {@code isles run}, {@code evaluate}, {@code compare}, {@code history}
 * and {@code analyze} read its fields. Keys are the components in snake_case, in this order;
 * docs/EVALUATION.md describes each. Undefined numbers are null. A block that does not apply is
 * absent: {@code selected_on_validation} without {@code --selected}, {@code calibration} without any
 * prediction, {@code mean_refused} unless refused, and every metric when refused.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Summary(
    SelectedOnValidation selectedOnValidation,
    String meanRefused,
    Double meanDice,
    Double bestThresholdByMeanDice,
    String bestThresholdChosenOn,
    Integer nCases,
    int nCasesEvaluated,
    Long nCasesEmptyGt,
    List<AtThreshold> perThreshold,
    ExtraMetrics extraMetricsBest,
    Isles22 isles22,
    SliceSpacingBreakdown bySliceSpacing,
    LesionSizeBreakdown byLesionSize,
    int nPredictionsMissing,
    List<String> missingPredictions,
    int nPredictionsBroken,
    List<BrokenPrediction> brokenPredictions,
    List<String> failedCases,
    Rules rules,
    Calibration calibration) {
  public static final String FILE = EvaluationFiles.SUMMARY;

  public Summary {
    // Summaries written before a list existed read as if it were empty.
    missingPredictions = missingPredictions == null ? List.of() : List.copyOf(missingPredictions);
    brokenPredictions = brokenPredictions == null ? List.of() : List.copyOf(brokenPredictions);
    failedCases = failedCases == null ? List.of() : List.copyOf(failedCases);
  }

  /** Writes {@code dir}/summary.json atomically. */
  public void write(Path dir) {
    Json.write(dir.resolve(FILE), this);
  }

  /** Reads {@code dir}/summary.json; keys it does not know (from a newer or an older version) are skipped. */
  public static Summary read(Path dir) {
    Path file = dir.resolve(FILE);
    try {
      return Json.MAPPER.readerFor(Summary.class).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).readValue(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read JSON " + file + ": " + e.getMessage(), e);
    }
  }

  /** Whether {@link #selectedOnValidation} is there: the summary leads with settings chosen on validation cases. */
  public boolean hasSelection() {
    return selectedOnValidation != null;
  }

  /** The sweep's row at {@code threshold}, or null when the sweep does not hold it. */
  public AtThreshold at(double threshold) {
    for (AtThreshold row : perThreshold == null ? List.<AtThreshold>of() : perThreshold) {
      if (Math.abs(row.threshold() - threshold) < 1e-9) {
        return row;
      }
    }
    return null;
  }

  /**
   * The settings chosen on validation cases and these cases' metrics at them.
   *
   * @param extraMetrics as {@link Summary#extraMetricsBest}, at {@link #threshold}
   */
  public record SelectedOnValidation(
      double threshold,
      PostProcessing postProcessing,
      String chosenOn,
      int nCasesChosenOn,
      double validationMeanDice,
      String rule,
      Double meanDice,
      int nCases,
      Double voxelPrecision,
      Double voxelRecall,
      Double detectionRateCase,
      Double falseAlarmRateCase,
      ExtraMetrics extraMetrics,
      Isles22 isles22,
      SliceSpacingBreakdown bySliceSpacing,
      LesionSizeBreakdown byLesionSize) {}

  /** One threshold of the sweep. */
  public record AtThreshold(
      double threshold,
      Double meanDice,
      Double voxelPrecision,
      Double voxelRecall,
      Double detectionRateCase,
      Double falseAlarmRateCase,
      int nCases) {}

  /** The metrics at one threshold besides Dice. */
  public record ExtraMetrics(
      double threshold,
      MeanAndMeanAbs volumeDiffMl,
      MeanAndMeanAbs lesionCountDiff,
      Lesionwise lesionwise,
      BoundaryDistance boundaryDistanceMm,
      Double meanFpCc) {}

  /** A signed difference (predicted minus ground truth): its mean and its mean absolute value. */
  public record MeanAndMeanAbs(Double mean, Double meanAbs) {}

  /** Lesion-wise precision, recall and F1 from summed lesion counts, and F1 averaged over cases. */
  public record Lesionwise(Double precisionMicro, Double recallMicro, Double f1Micro, Double f1Mean) {}

  /** Mean boundary distances over the cases where both masks are non-empty. */
  public record BoundaryDistance(Double assd, Double hd, Double hd95, int nCases, int nCasesUndefined) {}

  /** The ISLES 2022 challenge's four metrics over all cases. */
  public record Isles22(
      double threshold,
      int nCases,
      Statistic dice,
      Statistic absoluteVolumeDifferenceMl,
      Statistic absoluteLesionCountDifference,
      Statistic lesionF1) {}

  /** Mean and sample std (null when undefined), the values counted and those left out as undefined. */
  public record Statistic(Double mean, Double std, int count, int excluded) {
    public static Statistic of(SummaryStatistic statistic) {
      return new Statistic(number(statistic.mean()), number(statistic.std()), statistic.count(), statistic.excluded());
    }
  }

  /** The cases of one bucket of a breakdown, at the best threshold. */
  public record Bucket(int nCases, Double meanDice, Double lesionwiseF1Mean) {}

  /** By the ground truth's coarsest voxel size: thin below the rules' threshold, thick from it. */
  public record SliceSpacingBreakdown(double threshold, Bucket thin, Bucket thick) {}

  /** By ground-truth lesion volume; {@code empty} is absent when empty ground truths are excluded. */
  public record LesionSizeBreakdown(
      double threshold, @JsonInclude(JsonInclude.Include.NON_NULL) Bucket empty, Bucket small, Bucket medium, Bucket large) {}

  /** A prediction that could not be used, counted by {@code rules.broken_predictions}. */
  public record BrokenPrediction(String caseId, String file, String cause) {}

  /** Every choice that decides the numbers, written out with its wording ({@link EvaluationRules#toJson}). */
  public record Rules(
      String emptyGt,
      String emptyGtRule,
      String brokenPredictions,
      String brokenPredictionRule,
      String missingPrediction,
      String binarization,
      int connectivity,
      double[] thresholds,
      String bestThreshold,
      PostProcessing postProcessing,
      double[] sizeBucketsMl,
      String sizeBucketRule,
      double sliceSpacingThrMm,
      String sliceSpacingRule,
      String voxelPrecisionRecall,
      String lesionwise,
      String boundaryDistance,
      String aggregation) {}

  /**
   * Post-processing settings as the summary and selection.json write them.
   *
   * @param ccScoreThreshold null when {@code cc_score} is none
   */
  public record PostProcessing(int minSizeVoxels, int topK, String ccScore, Double ccScoreThreshold, String order)
      implements Serializable {
    static final String ORDER = "per threshold: drop components smaller than min_size, keep the top_k largest, then cc_score";

    public static PostProcessing of(PostProcessingOptions options) {
      return new PostProcessing(options.minComponentVoxels(), options.keepLargest(), EvaluationRules.ccScoreName(options.componentScore()),
          options.componentScore() == ComponentScore.NONE ? null : options.componentScoreThreshold(), ORDER);
    }

    public PostProcessingOptions options() {
      ComponentScore score = EvaluationRules.parseCcScore(ccScore);
      return new PostProcessingOptions(minSizeVoxels, topK, score, score == ComponentScore.NONE ? 0.0 : ccScoreThreshold);
    }
  }

  /** The calibration block: ECE of the voxel probabilities, pooled and per case. */
  public record Calibration(int bins, String region, String rule, PooledCalibration pooled, Map<String, Double> ecePerCase) {}

  /** The bins of every case with a prediction, summed. */
  public record PooledCalibration(Double ece, int nCases, long nVoxels, List<CalibrationBins.Bin> reliability) {}

  static Double number(double value) {
    return Double.isFinite(value) ? value : null;
  }
}
