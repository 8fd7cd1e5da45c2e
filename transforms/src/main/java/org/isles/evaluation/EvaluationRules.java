package org.isles.evaluation;

import java.io.Serializable;
import java.util.Arrays;
import org.isles.metrics.CaseMetrics;
import org.isles.postprocess.ComponentScore;
import org.isles.postprocess.PostProcessingOptions;

/**
 * Everything that decides an evaluation's numbers besides the data. It is written into every
 * summary so two summaries are only compared knowingly. The post-processing is held as the plain
 * values of {@link PostProcessingOptions} so the rules travel inside a pipeline's serialized steps.
 *
 * @param excludeEmptyGt drop cases whose ground truth is empty from the Dice-based aggregates
 * @param thresholds increasing probabilities in (0, 1]; a voxel is lesion when its probability is >= one
 * @param sizeBucketsMl two increasing ground-truth volumes: small < first <= medium < second <= large
 * @param sliceSpacingThresholdMm thin < threshold <= thick, on the ground truth's coarsest voxel size
 * @param brokenPredictions how a case with a missing or broken prediction counts
 */
public record EvaluationRules(
    boolean excludeEmptyGt,
    double[] thresholds,
    int minSizeVoxels,
    int topK,
    ComponentScore ccScore,
    double ccScoreThreshold,
    double[] sizeBucketsMl,
    double sliceSpacingThresholdMm,
    BrokenPredictionRule brokenPredictions)
    implements Serializable {
  public static final int CONNECTIVITY = 26;
  public static final String EMPTY = "empty";

  public EvaluationRules {
    thresholds = Thresholds.validated(thresholds.clone());
    sizeBucketsMl = sizeBucketsMl.clone();
    // Refuses post-processing values that PostProcessingOptions would refuse, here where they are given.
    new PostProcessingOptions(minSizeVoxels, topK, ccScore, ccScoreThreshold);
    if (sizeBucketsMl.length != 2 || !(0 < sizeBucketsMl[0] && sizeBucketsMl[0] < sizeBucketsMl[1])) {
      throw new IllegalArgumentException(
          "size buckets need two increasing positive volumes in mL (small < a <= medium < b <= large), got "
              + Arrays.toString(sizeBucketsMl));
    }
    if (!(sliceSpacingThresholdMm > 0)) {
      throw new IllegalArgumentException("slice spacing threshold must be > 0 mm, got " + sliceSpacingThresholdMm);
    }
    if (brokenPredictions == null) {
      throw new IllegalArgumentException("the rule for missing and broken predictions must be set");
    }
  }

  /** Rules that score a missing or broken prediction as an empty one ({@link BrokenPredictionRule#EMPTY}). */
  public EvaluationRules(
      boolean excludeEmptyGt, double[] thresholds, int minSizeVoxels, int topK, ComponentScore ccScore,
      double ccScoreThreshold, double[] sizeBucketsMl, double sliceSpacingThresholdMm) {
    this(excludeEmptyGt, thresholds, minSizeVoxels, topK, ccScore, ccScoreThreshold, sizeBucketsMl, sliceSpacingThresholdMm,
        BrokenPredictionRule.EMPTY);
  }

  /** The reference evaluation: 25 thresholds, empty ground truths included, no post-processing, 1 / 10 mL, 3 mm. */
  public static EvaluationRules defaults() {
    return new EvaluationRules(false, Thresholds.defaults(), 0, 0, ComponentScore.NONE, 0.0, new double[] {1, 10}, 3.0);
  }

  public PostProcessingOptions postProcessing() {
    return new PostProcessingOptions(minSizeVoxels, topK, ccScore, ccScoreThreshold);
  }

  /** The same rules with other thresholds and post-processing, e.g. settings chosen on validation cases. */
  public EvaluationRules with(double[] otherThresholds, PostProcessingOptions post) {
    return new EvaluationRules(excludeEmptyGt, otherThresholds, post.minComponentVoxels(), post.keepLargest(),
        post.componentScore(), post.componentScoreThreshold(), sizeBucketsMl, sliceSpacingThresholdMm, brokenPredictions);
  }

  /** "thin" or "thick". */
  public String sliceBucket(double sliceThicknessMm) {
    return sliceThicknessMm < sliceSpacingThresholdMm ? "thin" : "thick";
  }

  /** "empty", "small", "medium" or "large". */
  public String sizeBucket(long gtVoxels, double gtVolumeMl) {
    if (gtVoxels == 0) {
      return EMPTY;
    }
    if (gtVolumeMl < sizeBucketsMl[0]) {
      return "small";
    }
    return gtVolumeMl < sizeBucketsMl[1] ? "medium" : "large";
  }

  /** The rules as summary.json writes them, each choice with its wording. */
  public Summary.Rules toJson() {
    return new Summary.Rules(
        excludeEmptyGt ? "excluded" : "included",
        excludeEmptyGt
            ? "cases with an empty ground truth are left out of mean_dice, voxel precision/recall, extra_metrics_best"
                + " and the breakdowns; false_alarm_rate_case and isles22 still use them"
            : "cases with an empty ground truth are included: Dice 1 for an empty prediction, 0 for any predicted voxel",
        brokenPredictions.label(),
        brokenPredictions.rule(),
        "a ground-truth case without a prediction counts by broken_predictions, as a broken one",
        "lesion = probability >= threshold; ground truth lesion = nonzero voxel",
        CONNECTIVITY,
        thresholds.clone(),
        "highest mean_dice; the lowest threshold wins a tie",
        Summary.PostProcessing.of(postProcessing()),
        sizeBucketsMl.clone(),
        "ground-truth volume: small < " + sizeBucketsMl[0] + " mL <= medium < " + sizeBucketsMl[1]
            + " mL <= large; empty ground truth in 'empty'",
        sliceSpacingThresholdMm,
        "coarsest ground-truth voxel size: thin < " + sliceSpacingThresholdMm + " mm <= thick",
        "micro: true-positive, false-positive and false-negative voxels summed over cases",
        "ISLES 2022: a ground-truth component touched by the prediction is a TP, untouched a FN; a"
            + " predicted component touching no ground truth is a FP",
        "as medpy, in mm between the surface voxels of both masks: hd = the larger directed"
            + " maximum, hd95 = 95th percentile of both directions, assd = mean of the two directed means. "
            + CaseMetrics.UNDEFINED_DISTANCE_RULE,
        "mean over cases; std = sample standard deviation (n - 1); undefined values left out");
  }

  /** The rules as {@link #toJson} wrote them, e.g. into a summary.json that is analyzed later. */
  public static EvaluationRules fromJson(Summary.Rules json) {
    PostProcessingOptions post = json.postProcessing().options();
    // Summaries written before the rule existed scored missing predictions as empty and had no broken ones.
    String broken = json.brokenPredictions();
    return new EvaluationRules(
        json.emptyGt().equals("excluded"),
        json.thresholds(),
        post.minComponentVoxels(),
        post.keepLargest(),
        post.componentScore(),
        post.componentScoreThreshold(),
        json.sizeBucketsMl(),
        json.sliceSpacingThrMm(),
        broken == null ? BrokenPredictionRule.EMPTY : BrokenPredictionRule.parse(broken));
  }

  static String ccScoreName(ComponentScore score) {
    return switch (score) {
      case NONE -> "none";
      case MAX -> "max_prob";
      case P95 -> "p95_prob";
      case MEAN -> "mean_prob";
    };
  }

  /** The {@code --cc-score} name of a component score: none, max_prob, p95_prob, mean_prob. */
  public static ComponentScore parseCcScore(String name) {
    for (ComponentScore score : ComponentScore.values()) {
      if (ccScoreName(score).equals(name)) {
        return score;
      }
    }
    throw new IllegalArgumentException("unknown cc_score '" + name + "': use none, max_prob, p95_prob or mean_prob");
  }
}
