package org.isles.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
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

  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("empty_gt", excludeEmptyGt ? "excluded" : "included");
    json.put(
        "empty_gt_rule",
        excludeEmptyGt
            ? "cases with an empty ground truth are left out of mean_dice, voxel precision/recall, extra_metrics_best"
                + " and the breakdowns; false_alarm_rate_case and isles22 still use them"
            : "cases with an empty ground truth are included: Dice 1 for an empty prediction, 0 for any predicted voxel");
    json.put("broken_predictions", brokenPredictions.label());
    json.put("broken_prediction_rule", brokenPredictions.rule());
    json.put("missing_prediction", "a ground-truth case without a prediction counts by broken_predictions, as a broken one");
    json.put("binarization", "lesion = probability >= threshold; ground truth lesion = nonzero voxel");
    json.put("connectivity", CONNECTIVITY);
    json.put("thresholds", thresholds);
    json.put("best_threshold", "highest mean_dice; the lowest threshold wins a tie");
    json.put("post_processing", postProcessingJson(postProcessing()));
    json.put("size_buckets_ml", sizeBucketsMl);
    json.put(
        "size_bucket_rule",
        "ground-truth volume: small < " + sizeBucketsMl[0] + " mL <= medium < " + sizeBucketsMl[1]
            + " mL <= large; empty ground truth in 'empty'");
    json.put("slice_spacing_thr_mm", sliceSpacingThresholdMm);
    json.put("slice_spacing_rule", "coarsest ground-truth voxel size: thin < " + sliceSpacingThresholdMm + " mm <= thick");
    json.put("voxel_precision_recall", "micro: true-positive, false-positive and false-negative voxels summed over cases");
    json.put("lesionwise", "ISLES 2022: a ground-truth component touched by the prediction is a TP, untouched a FN; a"
        + " predicted component touching no ground truth is a FP");
    json.put("boundary_distance", "as medpy, in mm between the surface voxels of both masks: hd = the larger directed"
        + " maximum, hd95 = 95th percentile of both directions, assd = mean of the two directed means. "
        + CaseMetrics.UNDEFINED_DISTANCE_RULE);
    json.put("aggregation", "mean over cases; std = sample standard deviation (n - 1); undefined values left out");
    return json;
  }

  /** Post-processing settings as summary.json writes them, under rules and under selected_on_validation. */
  public static Map<String, Object> postProcessingJson(PostProcessingOptions options) {
    Map<String, Object> post = new LinkedHashMap<>();
    post.put("min_size_voxels", options.minComponentVoxels());
    post.put("top_k", options.keepLargest());
    post.put("cc_score", ccScoreName(options.componentScore()));
    post.put("cc_score_threshold", options.componentScore() == ComponentScore.NONE ? null : options.componentScoreThreshold());
    post.put("order", "per threshold: drop components smaller than min_size, keep the top_k largest, then cc_score");
    return post;
  }

  /** Post-processing settings as {@link #postProcessingJson} wrote them. */
  public static PostProcessingOptions postProcessingFromJson(JsonNode post) {
    ComponentScore score = parseCcScore(post.get("cc_score").asText());
    return new PostProcessingOptions(post.get("min_size_voxels").asInt(), post.get("top_k").asInt(), score,
        score == ComponentScore.NONE ? 0.0 : post.get("cc_score_threshold").asDouble());
  }

  /** The rules as {@link #toJson} wrote them, e.g. into a summary.json that is analyzed later. */
  public static EvaluationRules fromJson(JsonNode json) {
    PostProcessingOptions post = postProcessingFromJson(json.get("post_processing"));
    // Summaries written before the rule existed scored missing predictions as empty and had no broken ones.
    JsonNode broken = json.get("broken_predictions");
    return new EvaluationRules(
        json.get("empty_gt").asText().equals("excluded"),
        doubles(json.get("thresholds")),
        post.minComponentVoxels(),
        post.keepLargest(),
        post.componentScore(),
        post.componentScoreThreshold(),
        doubles(json.get("size_buckets_ml")),
        json.get("slice_spacing_thr_mm").asDouble(),
        broken == null ? BrokenPredictionRule.EMPTY : BrokenPredictionRule.parse(broken.asText()));
  }

  private static double[] doubles(JsonNode array) {
    double[] values = new double[array.size()];
    for (int n = 0; n < values.length; n++) {
      values[n] = array.get(n).asDouble();
    }
    return values;
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
